import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitUntil } from "../support/gateway";
import { freePort } from "../support/processes";

const ROOT = path.resolve(__dirname, "../..");
const ENTRY = path.join(ROOT, "dist/bin/pixcrawler.js");
const SECRET = "e2e-secret-that-must-never-be-printed-0123456789";

/** The environment a newcomer has: no servers configured, defaults everywhere. */
function embeddedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PIXCRAWLER_LOG_LEVEL: "info", ...extra };
	return env;
}

describe("npm start: the whole platform in one process (compiled output)", () => {
	let child: ChildProcess;
	let base: string;
	let output = "";
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-e2e-"));

	beforeAll(async () => {
		expect(fs.existsSync(ENTRY)).toBe(true);
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		child = spawn(process.execPath, [ENTRY], {
			cwd: dataDir,
			env: embeddedEnv({ GATEWAY_PORT: String(port), PIXCRAWLER_DATA_DIR: dataDir }),
		});
		child.stdout?.on("data", (chunk) => {
			output += chunk;
		});
		child.stderr?.on("data", (chunk) => {
			output += chunk;
		});
		await waitUntil(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status === 200, 30000, "the platform to be ready");
	});

	afterAll(async () => {
		if (child.exitCode === null) {
			child.kill("SIGKILL");
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("serves liveness and readiness", async () => {
		expect((await fetch(`${base}/health`)).status).toBe(200);
		const ready = await fetch(`${base}/health/ready`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({ status: "ok", failed: [] });
	});

	it("renders Swagger UI backed by the live OpenAPI document", async () => {
		const page = await fetch(`${base}/docs`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('id="swagger-ui"');
		const response = await fetch(`${base}/api/v1/openapi.json`);
		const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
		expect({ status: response.status, openapi: document.openapi }).toEqual({ status: 200, openapi: "3.1.0" });
		expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/health", "/api/v1/health"]));
	});

	it("prints the URL of the API docs and logs JSON lines", () => {
		expect(output).toMatch(/docs at http:\/\/localhost:\d+\/docs/);
		const firstLine = output.split("\n").find((line) => line.startsWith("{"));
		expect(() => JSON.parse(firstLine ?? "")).not.toThrow();
	});

	it("logs its effective configuration with secrets masked", () => {
		expect(output).toContain("Effective configuration");
		expect(output).toContain('"AUTH_JWT_SECRET":"****"');
		expect(output).not.toContain(SECRET);
	});

	it("refuses a second process on the same NeDB files", async () => {
		const port = await freePort();
		const second = spawnSync(process.execPath, [ENTRY], {
			cwd: dataDir,
			env: embeddedEnv({ GATEWAY_PORT: String(port), PIXCRAWLER_DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET }),
			encoding: "utf8",
			timeout: 20000,
		});
		expect(second.status).toBe(1);
		expect(`${second.stdout}${second.stderr}`).toMatch(new RegExp(`in use by process ${child.pid}`));
	});

	it("stops gracefully on SIGTERM", async () => {
		const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
		child.kill("SIGTERM");
		expect(await exited).toBe(0);
	});
});

describe("start-up with a bad configuration", () => {
	it("exits 1 with one line naming the variable", () => {
		const result = spawnSync(process.execPath, [ENTRY], { env: embeddedEnv({ GATEWAY_PORT: "99999" }), encoding: "utf8", timeout: 20000 });
		expect(result.status).toBe(1);
		const lines = result.stderr.trim().split("\n");
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/GATEWAY_PORT/);
	});

	it("refuses the development JWT secret in production", () => {
		const result = spawnSync(process.execPath, [ENTRY], {
			env: embeddedEnv({ PIXCRAWLER_ENV: "production" }),
			encoding: "utf8",
			timeout: 20000,
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/AUTH_JWT_SECRET/);
		expect(result.stderr).not.toMatch(/development-only-secret/);
	});

	it.each([
		["TRANSPORTER", "nats", "NATS transporter", ""],
		["REDIS_URL", "redis", "Redis", "/0"],
		["MONGO_URI", "mongodb", "MongoDB", "/pixcrawler"],
	])("exits 1 with one line when the server %s names does not answer", async (variable, scheme, name, path) => {
		const port = await freePort();
		const result = spawnSync(process.execPath, [ENTRY], {
			env: embeddedEnv({ [variable]: `${scheme}://127.0.0.1:${port}${path}`, PIXCRAWLER_STARTUP_TIMEOUT_MS: "1000" }),
			encoding: "utf8",
			timeout: 20000,
		});
		expect(result.status).toBe(1);
		const lines = result.stderr.trim().split("\n");
		// a line per retry while it waits, then the verdict
		expect(lines.slice(0, -1).every((line) => line.startsWith(`pixcrawler: waiting for ${name} at `))).toBe(true);
		expect(lines.at(-1)).toMatch(
			new RegExp(`^pixcrawler: ${name} at ${scheme}://127\\.0\\.0\\.1:${port}\\S* did not answer within 1000 ms .*; check ${variable}`),
		);
		expect(result.stdout).toBe("");
	});

	it("names an unknown service in SERVICES", () => {
		const result = spawnSync(process.execPath, [ENTRY], {
			env: embeddedEnv({ SERVICES: "api,nonesuch" }),
			encoding: "utf8",
			timeout: 20000,
		});
		expect(result.status).toBe(1);
		expect(result.stderr.trim()).toMatch(/^pixcrawler: SERVICES: unknown service\(s\) nonesuch/);
	});
});
