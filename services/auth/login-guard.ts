import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../../lib/config";
import { RateLimited } from "../../lib/errors";

/** Failed logins allowed per account and per client address within the window before 429. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
export const LOGIN_FAILURES_PER_ADDRESS = 20;
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;

type Limiter = RateLimiterRedis | RateLimiterMemory;

/**
 * Brute-force protection for logins: counts failures per account and per address (shared through
 * Redis when configured), refuses further attempts with 429 once either budget is spent, and clears
 * the account's count on success.
 */
export class LoginGuard {
	private readonly perAccount: Limiter;
	private readonly perAddress: Limiter;

	constructor(redis: Config["redis"], client?: Redis) {
		const make = (name: string, points: number): Limiter => {
			const options = { points, duration: LOGIN_FAILURE_WINDOW_SECONDS, keyPrefix: `login:${name}` };
			const local = new RateLimiterMemory(options);
			if (!client) return local;
			return new RateLimiterRedis({
				...options,
				keyPrefix: `${redis.keyPrefix}login:${name}`,
				storeClient: client,
				insuranceLimiter: local,
				rejectIfRedisNotReady: true,
			});
		};
		this.perAccount = make("account", LOGIN_FAILURES_PER_ACCOUNT);
		this.perAddress = make("address", LOGIN_FAILURES_PER_ADDRESS);
	}

	/** Throws RateLimited while the account or the address is blocked. */
	async assertAllowed(account: string, address: string): Promise<void> {
		const [byAccount, byAddress] = await Promise.all([this.perAccount.get(account), this.perAddress.get(address)]);
		const blocked = [
			[byAccount, LOGIN_FAILURES_PER_ACCOUNT],
			[byAddress, LOGIN_FAILURES_PER_ADDRESS],
		].filter(([res, limit]) => res instanceof RateLimiterRes && res.consumedPoints >= (limit as number)) as [RateLimiterRes, number][];
		if (blocked.length > 0) {
			const retryAfter = Math.max(...blocked.map(([res]) => Math.ceil(res.msBeforeNext / 1000)), 1);
			throw new RateLimited(retryAfter, { limit: "login attempts" });
		}
	}

	async recordFailure(account: string, address: string): Promise<void> {
		await Promise.all([this.perAccount.penalty(account, 1), this.perAddress.penalty(address, 1)]);
	}

	async recordSuccess(account: string): Promise<void> {
		await this.perAccount.delete(account);
	}
}
