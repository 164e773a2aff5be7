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

/** The window of the per-token budget: the plan limit counts requests per minute. */
const TOKEN_WINDOW_SECONDS = 60;
/**
 * Each token's maximum is its owner's (and may change at any time), so the store only counts: the
 * limiter's own ceiling is never reached and the decision compares the count with the token's maximum.
 */
const COUNT_ONLY_POINTS = 1_000_000_000;

/**
 * Request budgets per route class, shared by every gateway replica through Redis. When Redis is
 * down or slow, each replica falls back to its own in-memory budget (rate-limiter-flexible's
 * insurance limiter) instead of failing the request.
 */
export class GatewayRateLimiter {
	private readonly limiters: Record<RateLimitClass, Limiter>;
	private readonly points: Record<RateLimitClass, number>;
	private readonly perToken: Limiter;

	constructor(settings: Config["rateLimit"], redis: Config["redis"], client?: Redis) {
		this.points = { default: settings.defaultPoints, auth: settings.authPoints, expensive: settings.expensivePoints };
		const limiter = (name: string, points: number, duration: number): Limiter => {
			const common = { points, duration, keyPrefix: `rl:${name}` };
			const local = new RateLimiterMemory(common);
			if (!client) return local;
			return new RateLimiterRedis({
				...common,
				storeClient: client,
				keyPrefix: `${redis.keyPrefix}rl:${name}`,
				insuranceLimiter: local,
				rejectIfRedisNotReady: true,
			});
		};
		const make = (routeClass: RateLimitClass) => limiter(routeClass, this.points[routeClass], settings.windowSeconds);
		this.limiters = { default: make("default"), auth: make("auth"), expensive: make("expensive") };
		this.perToken = limiter("token", COUNT_ONLY_POINTS, TOKEN_WINDOW_SECONDS);
	}

	/** Spends one request of an API token's per-minute budget of `max` (its owner's apiRequestsPerMinute). */
	async consumeForToken(tokenId: string, max: number): Promise<RateLimitDecision & { used: number }> {
		const res = await this.perToken.consume(tokenId);
		const used = res.consumedPoints;
		return { allowed: used <= max, limit: max, remaining: Math.max(0, max - used), resetSeconds: secondsOf(res), used };
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
