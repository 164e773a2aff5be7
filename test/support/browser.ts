/**
 * Browser tests of the dashboard: Debian's Chromium driven by playwright-core (`npx playwright install`
 * cannot download a browser on these machines; `.ci/run` installs the `chromium` package instead), and
 * the compiled platform started as a process, serving the dashboard from dist/web at `/` and crawling
 * the fixture web.
 *
 * Every page of a session is watched: an uncaught page error, a console error (Chromium logs every
 * fetch answered 4xx/5xx as one) or a request that failed on the network is a problem, and a test
 * fails on any it did not announce with `session.expectProblems`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import type { FixtureWeb } from "./fixture-web";
import { waitUntil } from "./gateway";
import { FAST_CRAWL_ENV } from "./platform";
import { freePort } from "./processes";

const ROOT = path.resolve(__dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOT_DIR = path.join(ROOT, "test-artifacts/screenshots");
const ENTRY = path.join(ROOT, "dist/bin/pixcrawler.js");
const DASHBOARD_INDEX = path.join(ROOT, "dist/web/index.html");

/**
 * The flags this machine's Chromium needs: it runs as root (no sandbox) without a GPU, and its network is
 * closed, so every background connection (updates, sync, QUIC probes, Google look-ups) is switched off
 * rather than refused many times a second. playwright-core adds a new empty --user-data-dir to every
 * launch and removes it on close: each session starts from a fresh profile.
 */
export const CHROMIUM_FLAGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

export const PHONE_VIEWPORT = { width: 390, height: 844 };

export interface BrowserSession {
	browser: Browser;
	/** A page in a context of its own (its own cookies and storage), watched for problems. */
	newPage(options?: BrowserContextOptions): Promise<Page>;
	/** Saves a PNG of the whole page (or of the window only) as test-artifacts/screenshots/<name>.png and returns its path. */
	screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
	/** Runs `step`, letting console errors and failed requests that match `pattern` pass (at least one must occur). */
	expectProblems<T>(pattern: RegExp, step: () => Promise<T>): Promise<T>;
	/** The problems seen since the last call, unannounced ones only; the list starts again empty. */
	takeProblems(): string[];
	close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium chromium-driver (.ci/run does)`);
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
	const contexts: BrowserContext[] = [];
	let problems: string[] = [];
	let expected: { pattern: RegExp; seen: number } | null = null;
	const report = (problem: string) => {
		if (expected?.pattern.test(problem)) expected.seen++;
		else problems.push(problem);
	};

	const watch = (page: Page) => {
		page.on("pageerror", (error) => report(`page error on ${page.url()}: ${error.stack ?? error.message}`));
		page.on("console", (message) => {
			if (message.type() !== "error") return;
			const where = message.location();
			report(`console error on ${page.url()}: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
		});
		page.on("requestfailed", (request) => {
			const reason = request.failure()?.errorText ?? "failed";
			// The page itself cancelled it: a navigation away, a closed event stream, a download handed to the browser.
			if (reason === "net::ERR_ABORTED") return;
			report(`request failed: ${request.method()} ${request.url()}: ${reason}`);
		});
		page.on("response", (response) => {
			if (response.status() >= 500) report(`server error: ${response.request().method()} ${response.url()} answered ${response.status()}`);
		});
	};

	return {
		browser,
		async newPage(options = {}) {
			const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 }, ...options });
			contexts.push(context);
			context.on("page", watch);
			return context.newPage();
		},
		async screenshot(page, name, options = {}) {
			fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
			const file = path.join(SCREENSHOT_DIR, `${name}.png`);
			await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: "disabled" });
			return file;
		},
		async expectProblems(pattern, step) {
			if (expected) throw new Error("expectProblems does not nest");
			const current = { pattern, seen: 0 };
			expected = current;
			try {
				const result = await step();
				// Chromium reports a failed answer's console line a moment after the page has handled it
				await waitUntil(() => current.seen > 0, 5000, `a console error or failed request matching ${pattern}`);
				await new Promise((resolve) => setTimeout(resolve, 300));
				return result;
			} finally {
				expected = null;
			}
		},
		takeProblems() {
			const taken = problems;
			problems = [];
			return taken;
		},
		async close() {
			for (const context of contexts) await context.close().catch(() => undefined);
			await browser.close();
		},
	};
}

export interface DashboardPlatform {
	/** http://127.0.0.1:<port>: the dashboard at `/`, the API under /api/v1. */
	url: string;
	/** A JSON call to the API as a client outside the browser makes it. */
	call<T = Record<string, unknown>>(method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; body: T }>;
	/** Signs in through the API and returns the access token. */
	login(email: string, password: string): Promise<string>;
	/** What the process printed (for a failing test's message). */
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts the compiled platform (`npm run build` makes dist/, the dashboard included) as one process, the
 * way `npm start` runs it, on a free port, with its own data directory, its image sources pointed at the
 * fixture web (or a front of it) and the fast retry settings of the API tests. `env` comes last.
 */
export async function startDashboardPlatform(
	sources: { env(): Record<string, string> },
	env: Record<string, string> = {},
): Promise<DashboardPlatform> {
	for (const file of [ENTRY, DASHBOARD_INDEX]) {
		if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run npm run build first`);
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-dashboard-"));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let printed = "";
	// cwd is the data directory, so a developer's .env at the repository root cannot change the test
	const child: ChildProcess = spawn(process.execPath, [ENTRY], {
		cwd: dataDir,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			PIXCRAWLER_LOG_LEVEL: "warn",
			PIXCRAWLER_DATA_DIR: dataDir,
			GATEWAY_HOST: "127.0.0.1",
			GATEWAY_PORT: String(port),
			GATEWAY_PUBLIC_URL: url,
			...FAST_CRAWL_ENV,
			...sources.env(),
			...env,
		},
		stdio: ["ignore", "pipe", "pipe"],
	});
	child.stdout?.on("data", (chunk) => {
		printed += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		printed += chunk;
	});
	const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill("SIGTERM");
			const killer = setTimeout(() => child.kill("SIGKILL"), 10000);
			await exited;
			clearTimeout(killer);
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		await waitUntil(
			async () => {
				if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}:\n${printed}`);
				return (await fetch(`${url}/health/ready`).catch(() => null))?.status === 200;
			},
			30000,
			"the platform to be ready",
		);
	} catch (error) {
		await stop();
		throw error;
	}

	const call = async <T>(method: string, route: string, token?: string, body?: unknown) => {
		const response = await fetch(`${url}/api/v1${route}`, {
			method,
			headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
	};
	return {
		url,
		call,
		async login(email, password) {
			const answer = await call<{ accessToken: string }>("POST", "/auth/login", undefined, { email, password });
			if (answer.status !== 200) throw new Error(`login of ${email} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
			return answer.body.accessToken;
		},
		output: () => printed,
		stop,
	};
}

export interface SlowImageHost {
	url: string;
	/** CRAWL_SOURCE_<NAME>_URL of every engine, pointed at this front. */
	env(): Record<string, string>;
	stop(): Promise<void>;
}

/**
 * A front for the fixture web that answers every catalogue image (/img/…) `delayMs` late, so a build
 * lasts long enough for its progress to be watched moving (against the fixture web itself a small build
 * ends in about a second). It forwards everything else as it is, and rewrites the fixture web's address
 * in search answers to its own, so the crawler fetches the images through it.
 */
export async function slowImageHost(web: FixtureWeb, delayMs: number): Promise<SlowImageHost> {
	let own = "";
	const server = http.createServer((request, response) => {
		const forward = async () => {
			const target = request.url ?? "/";
			if (target.startsWith("/img/")) await new Promise((resolve) => setTimeout(resolve, delayMs));
			const answer = await fetch(`${web.url}${target}`, {
				method: request.method,
				headers: { "user-agent": request.headers["user-agent"] ?? "" },
				redirect: "manual",
			});
			const headers: Record<string, string> = {};
			answer.headers.forEach((value, name) => {
				if (!["content-length", "content-encoding", "transfer-encoding", "connection"].includes(name)) headers[name] = value;
			});
			const type = answer.headers.get("content-type") ?? "";
			let body = Buffer.from(await answer.arrayBuffer());
			if (/html|json|text/.test(type)) body = Buffer.from(body.toString("utf8").split(web.url).join(own));
			response.writeHead(answer.status, { ...headers, "content-length": String(body.length) });
			response.end(body);
		};
		forward().catch((error: unknown) => {
			if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
			response.end(String(error));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
	own = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: own,
		env: () => Object.fromEntries(Object.entries(web.env()).map(([name, value]) => [name, value.replace(web.url, own)])),
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
