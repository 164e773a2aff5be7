import request from "supertest";
import { type RunningGateway, startGateway } from "../support/gateway";
import { sampleService } from "../support/sample.service";

const ALLOWED = "https://app.pixcrawler.test";

describe("CORS", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({
			env: { CORS_ORIGINS: `${ALLOWED},https://other.pixcrawler.test`, CORS_CREDENTIALS: "true", CORS_MAX_AGE_SECONDS: "900" },
			services: [sampleService],
			waitFor: ["samples.list", "samples.create"],
		});
	});
	afterAll(() => gateway.stop());

	it("allows a listed origin and varies the answer by Origin", async () => {
		const res = await request(gateway.url).get("/api/v1/health").set("Origin", ALLOWED).expect(200);
		expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED);
		expect(res.headers.vary).toMatch(/Origin/);
		expect(res.headers["access-control-expose-headers"]).toMatch(/X-Request-ID/);
	});

	it("sends no Access-Control-Allow-Origin to an origin that is not listed", async () => {
		const res = await request(gateway.url).get("/api/v1/health").set("Origin", "https://evil.example");
		expect(res.headers["access-control-allow-origin"]).toBeUndefined();
		expect(res.status).toBe(403);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
	});

	it("answers a preflight with the allowed methods and headers, cached for the configured time", async () => {
		const res = await request(gateway.url)
			.options("/api/v1/samples")
			.set("Origin", ALLOWED)
			.set("Access-Control-Request-Method", "POST")
			.set("Access-Control-Request-Headers", "authorization,content-type")
			.expect(204);
		expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED);
		expect(res.headers["access-control-allow-methods"]).toMatch(/POST/);
		expect(res.headers["access-control-allow-headers"]).toMatch(/Authorization/);
		expect(res.headers["access-control-max-age"]).toBe("900");
	});

	it("refuses a preflight from an origin that is not listed", async () => {
		const res = await request(gateway.url)
			.options("/api/v1/samples")
			.set("Origin", "https://evil.example")
			.set("Access-Control-Request-Method", "POST");
		expect(res.status).toBe(403);
		expect(res.headers["access-control-allow-origin"]).toBeUndefined();
	});

	it("allows credentials for listed origins", async () => {
		const res = await request(gateway.url).get("/api/v1/health").set("Origin", ALLOWED);
		expect(res.headers["access-control-allow-credentials"]).toBe("true");
	});

	it("still sends CORS headers on error answers so browsers can read them", async () => {
		const res = await request(gateway.url).get("/api/v1/samples").set("Origin", ALLOWED).expect(401);
		expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED);
	});

	it("without Origin (same-origin or server-to-server) sends no CORS headers", async () => {
		const res = await request(gateway.url).get("/api/v1/health").expect(200);
		expect(res.headers["access-control-allow-origin"]).toBeUndefined();
	});
});

describe("CORS with any origin", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: { CORS_ORIGINS: "*", CORS_CREDENTIALS: "false" }, waitFor: ["api.health"] });
	});
	afterAll(() => gateway.stop());

	it("answers * and never allows credentials", async () => {
		const res = await request(gateway.url).get("/api/v1/health").set("Origin", "https://anywhere.example").expect(200);
		expect(res.headers["access-control-allow-origin"]).toBe("*");
		expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
	});
});
