import request from "supertest";
import { Unavailable } from "../../lib/errors";
import { type RunningGateway, startGateway } from "../support/gateway";
import { CapturingLogger } from "../support/log-capture";
import { sampleService } from "../support/sample.service";

/** A route whose dependency is out of reach, as every remote call is during a bus outage. */
const outageService = {
	name: "outage",
	settings: { rest: "/" },
	actions: {
		probe: {
			rest: "GET /public/outage",
			auth: "public",
			handler() {
				throw new Unavailable("Service 'storage' is not reachable: the bus is disconnected");
			},
		},
	},
};

describe("access log and readiness of required services", () => {
	const logger = new CapturingLogger({ level: "debug" });
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({
			env: { GATEWAY_READINESS_SERVICES: "samples,crawl" },
			services: [sampleService, outageService],
			broker: { logger },
			waitFor: ["samples.list", "outage.probe"],
		});
	});
	afterAll(() => gateway.stop());

	it("logs one line per request with its request id, status and duration", async () => {
		await request(gateway.url).get("/api/v1/samples?page=2").set("X-Request-ID", "trace-access-log-1").expect(401);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const line = logger.lines.find((text: string) => text.startsWith("info {") && text.includes('"requestId":"trace-access-log-1"'));
		expect(line).toBeDefined();
		const entry = JSON.parse((line as string).slice("info ".length, (line as string).lastIndexOf("}") + 1));
		expect(entry).toMatchObject({
			requestId: "trace-access-log-1",
			method: "GET",
			path: "/api/v1/samples",
			status: 401,
			durationMs: expect.any(Number),
		});
		expect(line).not.toContain("page=2");
	});

	it("logs an unavailable dependency as one warning without a stack, not as an error", async () => {
		const res = await request(gateway.url).get("/api/v1/public/outage").set("X-Request-ID", "trace-outage-1").expect(503);
		expect(res.headers["retry-after"]).toBeDefined();
		await new Promise((resolve) => setTimeout(resolve, 20));
		const lines = logger.lines.filter((text: string) => text.includes("trace-outage-1"));
		expect(lines.filter((text: string) => /^(error|fatal) /.test(text))).toEqual([]);
		const answered = lines.filter((text: string) => text.includes("Request not served"));
		expect(answered).toHaveLength(1);
		expect(answered[0]).toMatch(/^warn /);
		expect(answered[0]).not.toMatch(/\n\s+at /);
	});

	it("answers 503 naming a required service that no node runs", async () => {
		const res = await request(gateway.url).get("/health/ready").expect(503);
		expect(res.body.failed).toEqual(["service crawl"]);
		expect(res.body.components).toEqual(expect.arrayContaining([{ name: "service samples", status: "up" }]));
	});
});

describe("probes", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: { RATE_LIMIT_DEFAULT: "2" }, waitFor: ["api.health"] });
	});
	afterAll(() => gateway.stop());

	it("are never rate limited", async () => {
		for (let i = 0; i < 5; i++) {
			await request(gateway.url).get("/health").expect(200);
			await request(gateway.url).get("/health/ready").expect(200);
			await request(gateway.url).get("/metrics").expect(200);
		}
	});

	it("ignore credentials, valid or not", async () => {
		await request(gateway.url).get("/health").set("Authorization", "Bearer garbage-token-value").expect(200);
		await request(gateway.url).get("/health/ready").set("Authorization", "Basic Zm9vOmJhcg==").expect(200);
	});
});
