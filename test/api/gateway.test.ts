import request from "supertest";
import { type RunningGateway, startGateway } from "../support/gateway";
import { FAKE_API_TOKENS, fakeAuthService, sampleService } from "../support/sample.service";

const ROUTED = ["samples.list", "samples.create", "samples.boom", "samples.forgotten", "api.health"];

describe("API gateway over HTTP", () => {
	let gateway: RunningGateway;
	let userToken: string;
	let superToken: string;

	beforeAll(async () => {
		gateway = await startGateway({ services: [sampleService, fakeAuthService], waitFor: ROUTED });
		userToken = await gateway.tokenFor("user-1");
		superToken = await gateway.tokenFor("admin-1", "superuser");
	});
	afterAll(() => gateway.stop());

	describe("health", () => {
		it("answers liveness without touching dependencies", async () => {
			const res = await request(gateway.url).get("/health").expect(200);
			expect(res.body).toEqual({ status: "ok" });
		});

		it("answers readiness with each component", async () => {
			const res = await request(gateway.url).get("/health/ready").expect(200);
			expect(res.body.status).toBe("ok");
			expect(res.body.components.map((c: { name: string }) => c.name)).toContain("transporter (in-process)");
		});

		it("serves the simple API health publicly", async () => {
			const res = await request(gateway.url).get("/api/v1/health").expect(200);
			expect(res.body).toMatchObject({ status: "ok", version: expect.any(String) });
		});

		it("keeps detailed health for superusers", async () => {
			await request(gateway.url).get("/api/v1/health/detailed").expect(401);
			await request(gateway.url).get("/api/v1/health/detailed").set("Authorization", `Bearer ${userToken}`).expect(403);
			const res = await request(gateway.url).get("/api/v1/health/detailed").set("Authorization", `Bearer ${superToken}`).expect(200);
			expect(res.body.components[0]).toMatchObject({ name: expect.any(String), status: "up", latencyMs: expect.any(Number) });
			expect(res.body.nodes[0].services).toEqual(expect.arrayContaining(["api", "samples"]));
		});
	});

	describe("surface", () => {
		it.each([
			"/~node/options",
			"/~node/health",
			"/api/v1/~node/health",
			"/api/v1/api/live",
			"/samples/list",
			"/api/v1/auth/resolveApiToken",
		])("answers 404 problem+json for %s", async (path) => {
			const res = await request(gateway.url).get(path).expect(404);
			expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
			expect(res.body).toMatchObject({ status: 404, title: "Not Found", requestId: expect.any(String) });
		});

		it("does not map raw service/action paths", async () => {
			await request(gateway.url).post("/api/v1/samples/create").send({ name: "x" }).expect(404);
			await request(gateway.url).post("/api/v1/api/openapi").expect(404);
		});

		it("refuses a route whose action declares no auth level", async () => {
			const res = await request(gateway.url).get("/api/v1/public/forgotten").expect(403);
			expect(res.body.leaked).toBeUndefined();
		});
	});

	describe("authentication and authorization", () => {
		it("requires a token on user routes", async () => {
			const res = await request(gateway.url).get("/api/v1/samples").expect(401);
			expect(res.body).toMatchObject({ status: 401, type: expect.stringContaining("unauthorized") });
		});

		it("accepts a valid access token and passes the principal on", async () => {
			const res = await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${userToken}`).expect(200);
			expect(res.body.items[0].ownerId).toBe("user-1");
		});

		it("rejects a malformed Authorization header", async () => {
			const res = await request(gateway.url).get("/api/v1/samples").set("Authorization", "Basic dXNlcjpwYXNz").expect(401);
			expect(res.body.detail).toMatch(/Bearer/);
		});

		it("rejects a tampered token", async () => {
			const [header, payload, signature] = userToken.split(".");
			const forged = Buffer.from(
				JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "superuser" }),
			).toString("base64url");
			await request(gateway.url).get("/api/v1/admin/samples").set("Authorization", `Bearer ${header}.${forged}.${signature}`).expect(401);
		});

		it("resolves API tokens through the auth service and enforces their scopes", async () => {
			await request(gateway.url).post("/api/v1/samples/s1/publish").set("Authorization", `Bearer ${FAKE_API_TOKENS.withScope}`).expect(200);
			const res = await request(gateway.url)
				.post("/api/v1/samples/s1/publish")
				.set("Authorization", `Bearer ${FAKE_API_TOKENS.withoutScope}`)
				.expect(403);
			expect(res.body.detail).toMatch(/scope/);
			await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${FAKE_API_TOKENS.unknown}`).expect(401);
		});

		it("lets JWT sessions use scoped routes", async () => {
			await request(gateway.url).post("/api/v1/samples/s1/publish").set("Authorization", `Bearer ${userToken}`).expect(200);
		});
	});

	describe("errors", () => {
		it("names the invalid fields in a 422 problem", async () => {
			const res = await request(gateway.url)
				.post("/api/v1/samples")
				.set("Authorization", `Bearer ${userToken}`)
				.send({ size: "big" })
				.expect(422);
			expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
			const fields = res.body.errors.map((error: { field: string }) => error.field);
			expect(fields).toEqual(expect.arrayContaining(["name", "size"]));
		});

		it("rejects unknown fields instead of storing them", async () => {
			const res = await request(gateway.url)
				.post("/api/v1/samples")
				.set("Authorization", `Bearer ${userToken}`)
				.send({ name: "a", role: "superuser" })
				.expect(422);
			expect(JSON.stringify(res.body.errors)).toMatch(/role/);
		});

		it("answers a created resource with its declared status", async () => {
			const res = await request(gateway.url)
				.post("/api/v1/samples")
				.set("Authorization", `Bearer ${userToken}`)
				.send({ name: "cats" })
				.expect(201);
			expect(res.body).toMatchObject({ id: "s2", name: "cats" });
		});

		it("maps domain errors to their status", async () => {
			await request(gateway.url).post("/api/v1/samples").set("Authorization", `Bearer ${userToken}`).send({ name: "taken" }).expect(409);
			const res = await request(gateway.url).get("/api/v1/samples/nope").set("Authorization", `Bearer ${userToken}`).expect(404);
			expect(res.body.detail).toBe("sample 'nope' was not found");
		});

		it("answers malformed JSON with 400", async () => {
			const res = await request(gateway.url)
				.post("/api/v1/public/echo")
				.set("Content-Type", "application/json")
				.send('{"text": ')
				.expect(400);
			expect(res.body.detail).toBe("The request body is not valid JSON");
		});

		it("answers an oversized body with 413", async () => {
			const res = await request(gateway.url)
				.post("/api/v1/public/echo")
				.send({ text: "x".repeat(1_200_000) })
				.expect(413);
			expect(res.body.status).toBe(413);
		});

		it("hides internals of unexpected errors behind a 500 with the request id", async () => {
			const res = await request(gateway.url).get("/api/v1/public/boom").set("X-Request-ID", "trace-12345678").expect(500);
			expect(res.body).toEqual({
				type: "https://pixcrawler.dev/problems/internal",
				title: "Internal Server Error",
				status: 500,
				detail: "An unexpected error occurred",
				requestId: "trace-12345678",
			});
			expect(res.text).not.toMatch(/hunter2|mongodb|ECONNREFUSED|at /);
		});
	});

	describe("request ids and headers", () => {
		it("echoes a safe X-Request-ID", async () => {
			const res = await request(gateway.url).get("/api/v1/health").set("X-Request-ID", "abc-123-def-456");
			expect(res.headers["x-request-id"]).toBe("abc-123-def-456");
		});

		it("replaces an unsafe X-Request-ID with a generated one", async () => {
			const res = await request(gateway.url).get("/api/v1/health").set("X-Request-ID", "bad id\twith spaces");
			expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
		});

		it("generates a request id when none is given", async () => {
			const res = await request(gateway.url).get("/api/v1/health");
			expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
		});

		it("sets security headers, and no-store on every API and probe answer", async () => {
			const res = await request(gateway.url).get("/api/v1/samples").set("Authorization", `Bearer ${userToken}`);
			expect(res.headers["x-content-type-options"]).toBe("nosniff");
			expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
			expect(res.headers["cache-control"]).toBe("no-store");
			const open = await request(gateway.url).get("/api/v1/health");
			expect(open.headers["cache-control"]).toBe("no-store");
			const probe = await request(gateway.url).get("/health");
			expect(probe.headers["cache-control"]).toBe("no-store");
		});
	});

	describe("docs and metrics", () => {
		it("serves Swagger UI and its assets offline", async () => {
			const page = await request(gateway.url).get("/docs").expect(200);
			expect(page.text).toContain("swagger-ui-bundle.js");
			const script = await request(gateway.url).get("/docs/assets/swagger-ui-bundle.js").expect(200);
			expect(script.headers["content-type"]).toMatch(/javascript/);
			expect(script.text.length).toBeGreaterThan(100000);
			await request(gateway.url).get("/docs/assets/swagger-init.js").expect(200);
		});

		it("serves ReDoc", async () => {
			const page = await request(gateway.url).get("/redoc").expect(200);
			expect(page.text).toContain("redoc.standalone.js");
			await request(gateway.url).get("/docs/assets/redoc.standalone.js").expect(200);
		});

		it("serves no file outside the docs assets", async () => {
			await request(gateway.url).get("/docs/assets/package.json").expect(404);
			await request(gateway.url).get("/docs/assets/..%2F..%2Fpackage.json").expect(404);
		});

		it("exposes Prometheus metrics", async () => {
			const res = await request(gateway.url).get("/metrics").expect(200);
			expect(res.headers["content-type"]).toMatch(/^text\/plain/);
			expect(res.text).toMatch(/moleculer_request_total/);
		});
	});
});

describe("signed-in callers are re-checked with the auth service", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ services: [sampleService], waitFor: ["samples.list", "samples.admin"] });
	});
	afterAll(() => gateway.stop());

	it("refuses a valid token of a deactivated or deleted account", async () => {
		await request(gateway.url)
			.get("/api/v1/samples")
			.set("Authorization", `Bearer ${await gateway.tokenFor("off-1")}`)
			.expect(401);
		const res = await request(gateway.url)
			.get("/api/v1/samples")
			.set("Authorization", `Bearer ${await gateway.tokenFor("gone-1")}`)
			.expect(401);
		expect(res.body.detail).toBe("The account no longer exists");
	});

	it("takes the role from the account, not from the token's claim", async () => {
		const claimsSuperuser = await gateway.tokenFor("user-7", "superuser");
		await request(gateway.url).get("/api/v1/admin/samples").set("Authorization", `Bearer ${claimsSuperuser}`).expect(403);
	});
});

describe("authentication details", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ services: [sampleService], waitFor: ["samples.list"] });
	});
	afterAll(() => gateway.stop());

	it("accepts the Bearer scheme in any case (RFC 9110)", async () => {
		const token = await gateway.tokenFor("user-case");
		await request(gateway.url).get("/api/v1/samples").set("Authorization", `bearer ${token}`).expect(200);
		await request(gateway.url).get("/api/v1/samples").set("Authorization", `BEARER ${token}`).expect(200);
	});

	it("names the scheme in WWW-Authenticate on 401", async () => {
		const res = await request(gateway.url).get("/api/v1/samples").expect(401);
		expect(res.headers["www-authenticate"]).toBe('Bearer realm="pixcrawler"');
	});
});
