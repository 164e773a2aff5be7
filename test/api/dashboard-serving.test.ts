import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { dashboardCsp } from "../../services/api/dashboard";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

/**
 * The gateway serves the built dashboard (dist/web) at `/`: hashed assets cached for a year,
 * index.html revalidated, client-side routes answered with index.html for browsers, and never in
 * place of an API, docs or probe answer.
 */

const INDEX =
	'<!doctype html><html lang="en"><head><script type="module" src="/assets/index-4f9a2c1b.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = "console.log('dashboard');";
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

function buildFixture(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-dashboard-"));
	fs.mkdirSync(path.join(dir, "assets"));
	fs.writeFileSync(path.join(dir, "index.html"), INDEX);
	fs.writeFileSync(path.join(dir, "assets", "index-4f9a2c1b.js"), SCRIPT);
	fs.writeFileSync(path.join(dir, "assets", "index-77aa00ff.css"), "body{margin:0}");
	fs.writeFileSync(path.join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
	fs.writeFileSync(path.join(dir, ".env"), "SECRET=1");
	return dir;
}

function expectSecurityHeaders(res: request.Response) {
	expect(res.headers["x-content-type-options"]).toBe("nosniff");
	expect(res.headers["x-frame-options"]).toBe("DENY");
	expect(res.headers["referrer-policy"]).toBe("no-referrer");
}

function expectProblem(res: request.Response, status: number) {
	expect(res.status).toBe(status);
	expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
	expectSecurityHeaders(res);
}

describe("the dashboard served at /", () => {
	const dir = buildFixture();
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: { GATEWAY_DASHBOARD_DIR: dir }, waitFor: ["api.health"] });
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});
	const api = () => request(gateway.url);

	it("answers / with index.html, revalidated on every load, under the dashboard's CSP", async () => {
		const res = await api().get("/").set("Accept", HTML).expect(200);
		expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
		expect(res.text).toBe(INDEX);
		expect(res.headers["cache-control"]).toBe("no-cache");
		expect(res.headers["content-security-policy"]).toBe(dashboardCsp(gateway.config));
		expect(res.headers["content-security-policy"]).toMatch(
			/default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;/,
		);
		expect(res.headers["content-security-policy"]).toMatch(/connect-src 'self'.*frame-ancestors 'none'/);
		expectSecurityHeaders(res);
	});

	it("answers client-side routes (a link, a reload) with index.html for browsers", async () => {
		for (const page of ["/datasets", "/datasets/kQ3ZrV9sF2aXhT1c", "/datasets/kQ3ZrV9sF2aXhT1c/edit", "/account?tab=tokens"]) {
			const res = await api().get(page).set("Accept", HTML);
			expect([page, res.status, res.text]).toEqual([page, 200, INDEX]);
			expect(res.headers["cache-control"]).toBe("no-cache");
		}
	});

	it("serves hashed assets with a year-long immutable cache and their type", async () => {
		const script = await api().get("/assets/index-4f9a2c1b.js").expect(200);
		expect(script.headers["content-type"]).toMatch(/^text\/javascript|^application\/javascript/);
		expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
		expect(script.headers["content-security-policy"]).toBe(dashboardCsp(gateway.config));
		expectSecurityHeaders(script);
		const style = await api().get("/assets/index-77aa00ff.css").expect(200);
		expect(style.headers["content-type"]).toMatch(/^text\/css/);
		const icon = await api().get("/favicon.svg").expect(200);
		expect(icon.headers["cache-control"]).toBe("no-cache");
	});

	it("answers HEAD like GET without a body", async () => {
		const res = await api().head("/datasets").set("Accept", HTML).expect(200);
		expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(INDEX)));
		expect(res.text ?? "").toBe("");
	});

	it("answers a missing asset with a 404 problem, not index.html, even for a browser", async () => {
		expectProblem(await api().get("/assets/index-00000000.js").set("Accept", HTML), 404);
		expectProblem(await api().get("/assets/index-00000000.js"), 404);
	});

	it("answers 404 problems, not index.html, to clients that do not ask for a page", async () => {
		expectProblem(await api().get("/datasets").set("Accept", "application/json"), 404);
		expectProblem(await api().get("/no-such-thing"), 404);
	});

	it.each(["/api", "/api/v1/no-such-route", "/api/v2/datasets", "/docs/no-such-page", "/redoc/x", "/health/deep", "/metrics/x"])(
		"never shadows %s: a browser gets the 404 problem",
		async (reserved) => {
			expectProblem(await api().get(reserved).set("Accept", HTML), 404);
		},
	);

	it("leaves the API, probes and docs as they were", async () => {
		const health = await api().get("/api/v1/health").set("Accept", HTML).expect(200);
		expect(health.body.status).toBe("ok");
		expect(health.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
		await api().get("/health").set("Accept", HTML).expect(200);
		const docs = await api().get("/docs").set("Accept", HTML).expect(200);
		expect(docs.text).toContain("swagger-ui");
	});

	it("answers other methods on dashboard paths with 404", async () => {
		expectProblem(await api().post("/datasets").set("Accept", HTML).send({}), 404);
		expectProblem(await api().delete("/").set("Accept", HTML), 404);
	});

	it("never serves files outside the build or dotfiles", async () => {
		for (const attempt of ["/..%2fpackage.json", "/assets/..%2f..%2fpackage.json", "/%2e%2e/%2e%2e/package.json"]) {
			const res = await api().get(attempt);
			expect([attempt, res.status >= 400, res.text.includes('"name"')]).toEqual([attempt, true, false]);
		}
		const dotfile = await api().get("/.env").set("Accept", HTML);
		expect(dotfile.text).not.toContain("SECRET");
	});
});

describe("the dashboard without a build", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({
			env: { GATEWAY_DASHBOARD_DIR: path.join(os.tmpdir(), "pixcrawler-no-such-dashboard") },
			waitFor: ["api.health"],
		});
	});
	afterAll(() => gateway.stop());

	it("answers page requests with a 404 problem saying the dashboard is not built, and the API as usual", async () => {
		const res = await request(gateway.url).get("/").set("Accept", HTML);
		expectProblem(res, 404);
		expect(res.body.detail).toMatch(/dashboard is not built.*npm run build/);
		await request(gateway.url).get("/api/v1/health").expect(200);
	});
});

describe("the dashboard switched off", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: { GATEWAY_DASHBOARD_ENABLED: "false" }, waitFor: ["api.health"] });
	});
	afterAll(() => gateway.stop());

	it("answers / with the usual 404 problem", async () => {
		const res = await request(gateway.url).get("/").set("Accept", HTML);
		expectProblem(res, 404);
		expect(res.body.detail).toBe("No such route");
	});
});

describe("the dashboard's CSP", () => {
	it("allows images from the S3 store's public address, where signed links point", () => {
		const csp = dashboardCsp(
			testConfig({ STORAGE_DRIVER: "s3", STORAGE_S3_BUCKET: "pix", STORAGE_S3_PUBLIC_ENDPOINT: "https://files.example.org/store" }),
		);
		expect(csp).toContain("img-src 'self' data: https://files.example.org;");
		expect(dashboardCsp(testConfig({ STORAGE_DRIVER: "s3", STORAGE_S3_BUCKET: "pix", STORAGE_S3_REGION: "eu-west-1" }))).toContain(
			"img-src 'self' data: https://pix.s3.eu-west-1.amazonaws.com https://s3.eu-west-1.amazonaws.com;",
		);
		expect(dashboardCsp(testConfig({}))).toContain("img-src 'self' data:;");
	});
});

describe("requests from the dashboard's own origin", () => {
	const dir = buildFixture();
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({
			env: {
				GATEWAY_DASHBOARD_DIR: dir,
				CORS_ORIGINS: "https://app.pixcrawler.test",
				GATEWAY_PUBLIC_URL: "https://pixcrawler.example.org",
			},
			waitFor: ["api.health"],
		});
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it("are not held to CORS_ORIGINS: browsers send Origin with module scripts and POSTs of the same origin", async () => {
		const own = gateway.url.replace("127.0.0.1", "localhost");
		const host = new URL(own).host;
		await request(gateway.url).get("/assets/index-4f9a2c1b.js").set("Host", host).set("Origin", own).expect(200);
		const answer = await request(gateway.url).get("/api/v1/health").set("Host", host).set("Origin", own).expect(200);
		expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
		// the public address, as a proxy in front would give it
		await request(gateway.url).get("/api/v1/health").set("Origin", "https://pixcrawler.example.org").expect(200);
	});

	it("still refuses other origins, including the same host under another scheme or port", async () => {
		const host = new URL(gateway.url).host;
		for (const origin of [
			"https://evil.example",
			`https://${host}`,
			`http://${host.split(":")[0]}:1`,
			"https://pixcrawler.example.org:8443",
		]) {
			const res = await request(gateway.url).get("/api/v1/health").set("Origin", origin);
			expect([origin, res.status]).toEqual([origin, 403]);
		}
		await request(gateway.url).get("/api/v1/health").set("Origin", "https://app.pixcrawler.test").expect(200);
	});
});
