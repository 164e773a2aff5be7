import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../../lib/config";
import type { RateLimitClass } from "../../lib/types";

export interface RateLimitDecision {
	allowed: boolean;
	limit: number;
	remaining: number;
	/** Seconds until the window resets (at least 1). */
	resetSeconds: number;
}

type Limiter = RateLimiterRedis | RateLimiterMemory;

/**
 * Request budgets per route class, shared by every gateway replica through Redis. When Redis is
 * down or slow, each replica falls back to its own in-memory budget (rate-limiter-flexible's
 * insurance limiter) instead of failing the request.
 */
export class GatewayRateLimiter {
	private readonly limiters: Record<RateLimitClass, Limiter>;
	private readonly points: Record<RateLimitClass, number>;

	constructor(settings: Config["rateLimit"], redis: Config["redis"], client?: Redis) {
		this.points = { default: settings.defaultPoints, auth: settings.authPoints, expensive: settings.expensivePoints };
		const make = (routeClass: RateLimitClass): Limiter => {
			const common = { points: this.points[routeClass], duration: settings.windowSeconds, keyPrefix: `rl:${routeClass}` };
			const local = new RateLimiterMemory(common);
			if (!client) return local;
			return new RateLimiterRedis({
				...common,
				storeClient: client,
				keyPrefix: `${redis.keyPrefix}rl:${routeClass}`,
				insuranceLimiter: local,
				rejectIfRedisNotReady: true,
			});
		};
		this.limiters = { default: make("default"), auth: make("auth"), expensive: make("expensive") };
	}

	async consume(key: string, routeClass: RateLimitClass = "default"): Promise<RateLimitDecision> {
		const limit = this.points[routeClass];
		try {
			const res = await this.limiters[routeClass].consume(key);
			return { allowed: true, limit, remaining: res.remainingPoints, resetSeconds: secondsOf(res) };
		} catch (rejection) {
			if (rejection instanceof RateLimiterRes) {
				return { allowed: false, limit, remaining: 0, resetSeconds: secondsOf(rejection) };
			}
			throw rejection;
		}
	}
}

function secondsOf(res: RateLimiterRes): number {
	return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
