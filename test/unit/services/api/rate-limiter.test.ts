import { loadConfig } from "../../../../lib/config";
import { GatewayRateLimiter } from "../../../../services/api/rate-limiter";

function limiterWith(env: Record<string, string> = {}): GatewayRateLimiter {
	const config = loadConfig({
		RATE_LIMIT_DEFAULT: "5",
		RATE_LIMIT_AUTH: "2",
		RATE_LIMIT_EXPENSIVE: "3",
		RATE_LIMIT_WINDOW_SECONDS: "60",
		...env,
	});
	// No Redis client: every budget lives in this process's memory.
	return new GatewayRateLimiter(config.rateLimit, config.redis);
}

async function spend(limiter: GatewayRateLimiter, key: string, times: number, routeClass?: "default" | "auth" | "expensive") {
	const decisions = [];
	for (let i = 0; i < times; i++) decisions.push(await limiter.consume(key, routeClass));
	return decisions;
}

describe("GatewayRateLimiter in memory", () => {
	it("allows N requests, counting the remaining budget down, then refuses the N+1th", async () => {
		const limiter = limiterWith();
		const decisions = await spend(limiter, "ip:203.0.113.7", 6);
		expect(decisions.slice(0, 5).map((decision) => decision.allowed)).toEqual([true, true, true, true, true]);
		expect(decisions.slice(0, 5).map((decision) => decision.remaining)).toEqual([4, 3, 2, 1, 0]);
		expect(decisions[5]).toEqual({ allowed: false, limit: 5, remaining: 0, resetSeconds: expect.any(Number) });
		expect(decisions[5].resetSeconds).toBeGreaterThanOrEqual(1);
		expect(decisions[5].resetSeconds).toBeLessThanOrEqual(60);
	});

	it("keeps refusing once the budget is spent", async () => {
		const limiter = limiterWith();
		await spend(limiter, "user:u1", 5);
		const refused = await spend(limiter, "user:u1", 3);
		expect(refused.every((decision) => !decision.allowed && decision.remaining === 0)).toBe(true);
	});

	it("reports at least 1 second until reset on every decision", async () => {
		const decisions = await spend(limiterWith(), "user:u1", 6);
		for (const decision of decisions) expect(decision.resetSeconds).toBeGreaterThanOrEqual(1);
	});

	it("uses the default class when none is given", async () => {
		const [decision] = await spend(limiterWith(), "user:u1", 1);
		expect(decision.limit).toBe(5);
	});

	it("takes each class's limit from the configuration", async () => {
		const limiter = limiterWith();
		expect((await limiter.consume("k", "default")).limit).toBe(5);
		expect((await limiter.consume("k", "auth")).limit).toBe(2);
		expect((await limiter.consume("k", "expensive")).limit).toBe(3);
	});

	it("gives each class its own budget for the same key", async () => {
		const limiter = limiterWith();
		const auth = await spend(limiter, "ip:203.0.113.7", 3, "auth");
		expect(auth.map((decision) => decision.allowed)).toEqual([true, true, false]);
		// Spending the auth budget leaves the default and expensive budgets untouched.
		expect(await limiter.consume("ip:203.0.113.7", "default")).toMatchObject({ allowed: true, remaining: 4 });
		expect(await limiter.consume("ip:203.0.113.7", "expensive")).toMatchObject({ allowed: true, remaining: 2 });
	});

	it("keeps keys independent", async () => {
		const limiter = limiterWith();
		await spend(limiter, "user:u1", 6);
		expect((await limiter.consume("user:u1")).allowed).toBe(false);
		expect(await limiter.consume("user:u2")).toMatchObject({ allowed: true, remaining: 4 });
		expect(await limiter.consume("ip:203.0.113.7")).toMatchObject({ allowed: true, remaining: 4 });
	});

	it("does not share budgets between limiter instances (each replica has its own memory)", async () => {
		const first = limiterWith();
		await spend(first, "user:u1", 5);
		expect((await first.consume("user:u1")).allowed).toBe(false);
		expect((await limiterWith().consume("user:u1")).allowed).toBe(true);
	});

	it("uses the configured defaults when nothing is set", async () => {
		const config = loadConfig({});
		const limiter = new GatewayRateLimiter(config.rateLimit, config.redis);
		expect((await limiter.consume("k")).limit).toBe(600);
		expect((await limiter.consume("k", "auth")).limit).toBe(20);
		expect((await limiter.consume("k", "expensive")).limit).toBe(30);
	});

	it("answers the reset time within the configured window", async () => {
		const limiter = limiterWith({ RATE_LIMIT_WINDOW_SECONDS: "7", RATE_LIMIT_AUTH: "1" });
		await limiter.consume("k", "auth");
		const refused = await limiter.consume("k", "auth");
		expect(refused.allowed).toBe(false);
		expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
		expect(refused.resetSeconds).toBeLessThanOrEqual(7);
	});
});

describe("an API token's budget per minute (the apiRequestsPerMinute plan limit)", () => {
	it("counts each token's requests against the maximum it is given, whatever the route budgets", async () => {
		const limiter = limiterWith({ RATE_LIMIT_DEFAULT: "1" });
		const decisions = [];
		for (let n = 0; n < 4; n++) decisions.push(await limiter.consumeForToken("token-a", 3));
		expect(decisions.map((decision) => [decision.allowed, decision.used, decision.remaining])).toEqual([
			[true, 1, 2],
			[true, 2, 1],
			[true, 3, 0],
			[false, 4, 0],
		]);
		expect(decisions[3].limit).toBe(3);
		expect(decisions[3].resetSeconds).toBeGreaterThanOrEqual(1);
		expect(decisions[3].resetSeconds).toBeLessThanOrEqual(60);
		// another token has its own count, and a raised maximum applies at once
		expect((await limiter.consumeForToken("token-b", 3)).used).toBe(1);
		expect((await limiter.consumeForToken("token-a", 10)).allowed).toBe(true);
	});
});
