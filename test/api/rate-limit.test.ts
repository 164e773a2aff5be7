import { randomUUID } from "node:crypto";
import request from "supertest";
import { type RunningGateway, startGateway } from "../support/gateway";
import { privateRedis, type ServerProcess } from "../support/processes";
import { fakeAuthService, sampleService } from "../support/sample.service";

const ROUTES = ["samples.list", "samples.expensive", "api.health"];
const LIMITS = { RATE_LIMIT_DEFAULT: "5", RATE_LIMIT_EXPENSIVE: "2", RATE_LIMIT_AUTH: "3", RATE_LIMIT_WINDOW_SECONDS: "60" };
const SHARED_REDIS = "redis://127.0.0.1:6379";

async function exhaust(url: string, path: string, times: number, headers: Record<string, string> = {}) {
	const statuses: number[] = [];
	for (let i = 0; i < times; i++) {
		const call = request(url).get(path);
		for (const [name, value] of Object.entries(headers)) call.set(name, value);
		statuses.push((await call).status);
	}
	return statuses;
}

describe("rate limits in process memory (no Redis configured)", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: LIMITS, services: [sampleService, fakeAuthService], waitFor: ROUTES });
	});
	afterAll(() => gateway.stop());

	it("answers the N+1th request with 429, Retry-After and RateLimit headers", async () => {
		const token = await gateway.tokenFor(`user-${randomUUID()}`);
		const first = await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${token}`).expect(200);
		expect(first.headers["ratelimit-limit"]).toBe("5");
		expect(first.headers["ratelimit-remaining"]).toBe("4");
		const statuses = await exhaust(gateway.url, "/api/v1/samples", 4, { Authorization: `Bearer ${token}` });
		expect(statuses).toEqual([200, 200, 200, 200]);
		const refused = await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${token}`).expect(429);
		expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
		expect(refused.body).toMatchObject({ status: 429, retryAfter: expect.any(Number) });
	});

	it("keys authenticated callers by principal, not by address", async () => {
		const [a, b] = await Promise.all([gateway.tokenFor(`user-${randomUUID()}`), gateway.tokenFor(`user-${randomUUID()}`)]);
		expect(await exhaust(gateway.url, "/api/v1/samples", 6, { Authorization: `Bearer ${a}` })).toContain(429);
		await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${b}`).expect(200);
	});

	it("gives expensive routes a stricter budget", async () => {
		const token = await gateway.tokenFor(`user-${randomUUID()}`);
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++)
			statuses.push((await request(gateway.url).post("/api/v1/samples/s1/build").set("Authorization", `Bearer ${token}`)).status);
		expect(statuses).toEqual([200, 200, 429]);
	});

	it("does not let a client escape by rotating X-Forwarded-For when no proxy is trusted", async () => {
		const fresh = await startGateway({ env: LIMITS, waitFor: ["api.health"] });
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++) {
				statuses.push((await request(fresh.url).get("/api/v1/health").set("X-Forwarded-For", `203.0.113.${i}`)).status);
			}
			expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
		} finally {
			await fresh.stop();
		}
	});

	it("reads X-Forwarded-For only from trusted proxies", async () => {
		const behindProxy = await startGateway({ env: { ...LIMITS, GATEWAY_TRUST_PROXY: "loopback" }, waitFor: ["api.health"] });
		try {
			const first = await exhaust(behindProxy.url, "/api/v1/health", 6, { "X-Forwarded-For": "198.51.100.1" });
			expect(first[5]).toBe(429);
			await request(behindProxy.url).get("/api/v1/health").set("X-Forwarded-For", "198.51.100.2").expect(200);
		} finally {
			await behindProxy.stop();
		}
	});

	it("throttles repeated bad credentials by address", async () => {
		const fresh = await startGateway({ env: LIMITS, services: [sampleService], waitFor: ["samples.list"] });
		try {
			const statuses = await exhaust(fresh.url, "/api/v1/samples", 5, { Authorization: "Bearer not-a-valid-token-at-all" });
			expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
			expect(statuses[3]).toBe(429);
		} finally {
			await fresh.stop();
		}
	});
});

describe("rate limits shared through Redis", () => {
	const prefix = `pixcrawler-test-${randomUUID().slice(0, 8)}:`;
	let one: RunningGateway;
	let two: RunningGateway;
	beforeAll(async () => {
		const env = { ...LIMITS, REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: prefix };
		one = await startGateway({ env, services: [sampleService], waitFor: ROUTES });
		two = await startGateway({ env, services: [sampleService], waitFor: ROUTES });
	});
	afterAll(async () => {
		const redis = one.broker.getLocalService("api") as unknown as { redis: import("ioredis").default };
		const keys = await redis.redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.redis.del(...keys);
		await Promise.all([one.stop(), two.stop()]);
	});

	it("makes two gateway instances spend one budget", async () => {
		const token = await one.tokenFor(`user-${randomUUID()}`);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			const gateway = i % 2 === 0 ? one : two;
			statuses.push((await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${token}`)).status);
		}
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
	});
});

describe("rate limits when Redis goes away", () => {
	let redis: ServerProcess;
	let gateway: RunningGateway;
	beforeAll(async () => {
		redis = await privateRedis();
		gateway = await startGateway({
			env: { ...LIMITS, REDIS_URL: `redis://127.0.0.1:${redis.port}` },
			services: [sampleService],
			waitFor: ROUTES,
		});
	});
	afterAll(async () => {
		await gateway.stop();
		await redis.stop();
	});

	it("keeps answering from a per-process budget, never a 500", async () => {
		const token = await gateway.tokenFor(`user-${randomUUID()}`);
		await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${token}`).expect(200);
		await redis.stop();
		const statuses = await exhaust(gateway.url, "/api/v1/samples", 6, { Authorization: `Bearer ${token}` });
		expect(statuses).not.toContain(500);
		expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
		expect(statuses[5]).toBe(429);
	});

	it("reports Redis down in readiness", async () => {
		const res = await request(gateway.url).get("/health/ready").expect(503);
		expect(res.body.failed).toContain("redis");
	});
});
