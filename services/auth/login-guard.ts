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

	/**
	 * Spends one attempt of the account's and the address's budget before the password is checked,
	 * so a burst of concurrent guesses cannot all pass while the slow hash runs; RateLimited once
	 * either budget is spent.
	 */
	async spendAttempt(account: string, address: string): Promise<void> {
		const results = await Promise.allSettled([this.perAccount.consume(account), this.perAddress.consume(address)]);
		const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
		if (refused.length === 0) return;
		const other = refused.find((reason) => !(reason instanceof RateLimiterRes));
		if (other) throw other;
		const retryAfter = Math.max(...(refused as RateLimiterRes[]).map((res) => Math.ceil(res.msBeforeNext / 1000)), 1);
		throw new RateLimited(retryAfter, { limit: "login attempts" });
	}

	/** A correct password gives the account its budget back, and the address its attempt. */
	async recordSuccess(account: string, address: string): Promise<void> {
		await Promise.all([this.perAccount.delete(account), this.perAddress.reward(address, 1)]);
	}
}
