import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { verify } from "@node-rs/argon2";
import Redis from "ioredis";
import { SignJWT } from "jose";
import type { LoggerConfig } from "moleculer";
import pino from "pino";
import { describeConfig } from "../../lib/config";
import { brokerOptions } from "../../moleculer.config";
import { createAuthService } from "../../services/auth.service";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { FAST_CRAWL_ENV } from "../support/platform";
import { freePort, ServerProcess } from "../support/processes";
import { type Finding, fieldNames, filesUnder, findSecrets, nedbDocuments, secretValue, storedTexts } from "./support/surface-secrets";

/**
 * After a scenario that touches every secret the platform knows — passwords (right, wrong, changed,
 * set by an operator), access and refresh tokens (issued, rotated, replayed, revoked), API tokens
 * (created, used, delegated, revoked, malformed), signed download links, and the configured secrets
 * (JWT and link signing secrets, NATS, Redis, S3 and keyword-endpoint credentials) — with logs at
 * trace level in a file: no log line and no stored byte (NeDB files, stored files and the archives'
 * entries, Redis, the JetStream store) holds any of them, in clear or encoded; passwords are stored
 * only as argon2id hashes and API tokens only as SHA-256 hashes.
 */

jest.setTimeout(60000);

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** An OpenAI-compatible endpoint that suggests keywords, and remembers the credentials it was sent. */
async function startKeywordEndpoint(): Promise<{ url: string; authorizations: string[]; stop(): Promise<void> }> {
	const authorizations: string[] = [];
	const server = http.createServer((req, res) => {
		authorizations.push(String(req.headers.authorization));
		req.resume();
		req.on("end", () => {
			res.setHeader("Content-Type", "application/json");
			res.end(JSON.stringify({ choices: [{ message: { content: '["tabby cat", "kitten"]' } }] }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		authorizations,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

describe("secrets in logs and stores", () => {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-secrets-"));
	const dataDir = path.join(workDir, "data");
	const natsStore = path.join(workDir, "nats");
	const logFile = path.join(workDir, "platform.log");
	const run = randomUUID().slice(0, 8);

	/** Every secret the scenario handles, by name; tokens are added as they are issued. */
	const secrets = new Map<string, string>();
	const keep = (name: string, value: string) => {
		secrets.set(name, value);
		return value;
	};
	const configured = {
		AUTH_JWT_SECRET: keep("AUTH_JWT_SECRET", secretValue("jwt-secret")),
		STORAGE_SIGNING_SECRET: keep("STORAGE_SIGNING_SECRET", secretValue("link-secret")),
		STORAGE_S3_SECRET_ACCESS_KEY: keep("STORAGE_S3_SECRET_ACCESS_KEY", secretValue("s3-secret")),
		CRAWL_KEYWORDS_LLM_API_KEY: keep("CRAWL_KEYWORDS_LLM_API_KEY", secretValue("sk-llm")),
		NATS_PASSWORD: keep("NATS_PASSWORD", secretValue("nats-pass")),
	};
	const redisPassword = keep("Redis password", secretValue("redis-pass"));
	const passwords = {
		alice: keep("alice's password", secretValue("alice pass")),
		aliceNew: keep("alice's new password", secretValue("alice new pass")),
		bob: keep("bob's password", secretValue("bob pass")),
		bobReset: keep("bob's password set by an operator", secretValue("bob reset")),
		admin: keep("the superuser's password", secretValue("admin pass")),
		wrong: [1, 2, 3].map((n) => keep(`wrong password ${n}`, secretValue(`wrong guess ${n}`))),
	};

	let redis: ServerProcess;
	let nats: ServerProcess;
	let web: FixtureWeb;
	let keywords: Awaited<ReturnType<typeof startKeywordEndpoint>>;
	let gateway: RunningGateway | undefined;
	let env: Record<string, string>;
	let keyPrefix: string;
	const redisEntries: { key: string; value: string }[] = [];
	const refreshTokenIds: string[] = [];
	let apiTokens: string[] = [];
	let logLines: string[] = [];

	const api = async (
		method: string,
		target: string,
		options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
	) => {
		const headers: Record<string, string> = { ...options.headers };
		if (options.token) headers.Authorization = `Bearer ${options.token}`;
		if (options.body !== undefined) headers["Content-Type"] = "application/json";
		const res = await fetch(`${gateway?.url}${target}`, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await res.text();
		let body: Record<string, unknown> = {};
		try {
			body = JSON.parse(text);
		} catch {
			// files and empty answers
		}
		return { status: res.status, body, text };
	};
	/** Signs in and keeps the pair; the refresh token's id is what the store may hold instead. */
	const login = async (email: string, password: string, name: string) => {
		const res = await api("POST", "/api/v1/auth/login", { body: { email, password } });
		expect(res.status).toBe(200);
		return keepSession(res.body, name);
	};
	const keepSession = (body: Record<string, unknown>, name: string) => {
		const accessToken = keep(`${name} access token`, String(body.accessToken));
		const refreshToken = keep(`${name} refresh token`, String(body.refreshToken));
		refreshTokenIds.push(JSON.parse(Buffer.from(refreshToken.split(".")[1], "base64url").toString()).jti);
		return { accessToken, refreshToken };
	};

	beforeAll(async () => {
		fs.mkdirSync(dataDir);
		const redisPort = await freePort();
		redis = new ServerProcess(
			"redis-server",
			["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", redisPassword],
			redisPort,
		);
		const natsPort = await freePort();
		nats = new ServerProcess(
			"nats-server",
			["-a", "127.0.0.1", "-p", String(natsPort), "-js", "-sd", natsStore, "--user", "pixcrawler", "--pass", configured.NATS_PASSWORD],
			natsPort,
			natsStore,
		);
		[web, keywords] = await Promise.all([startFixtureWeb({ imagesPerKeyword: 8 }), startKeywordEndpoint(), redis.start(), nats.start()]);
		keyPrefix = `secrets-${run}:`;
		env = {
			...FAST_CRAWL_ENV,
			...web.env(),
			...configured,
			PIXCRAWLER_DATA_DIR: dataDir,
			PIXCRAWLER_DB_IN_MEMORY: "false",
			PIXCRAWLER_LOG_LEVEL: "trace",
			PIXCRAWLER_NAMESPACE: `secrets-${run}`,
			TRANSPORTER: `nats://127.0.0.1:${natsPort}`,
			NATS_USER: "pixcrawler",
			REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${redisPort}`,
			REDIS_KEY_PREFIX: keyPrefix,
			STORAGE_S3_ACCESS_KEY_ID: `AKIA${run.toUpperCase()}`,
			CRAWL_KEYWORDS_LLM_URL: keywords.url,
			RATE_LIMIT_AUTH: "1000",
		};
		const config = testConfig(env);
		// the platform's own logger (pino with its redaction), at trace level, into a file
		const options = brokerOptions(config);
		const logger = options.logger as LoggerConfig & { options: { pino: Record<string, unknown> } };
		const toFile: LoggerConfig = {
			...logger,
			options: {
				...logger.options,
				level: "trace",
				pino: { ...logger.options.pino, destination: pino.destination({ dest: logFile, sync: true }) },
			},
		};
		gateway = await startGateway({
			env,
			services: [
				createAuthService(config),
				createStorageService(config),
				createDatasetService(config),
				createCrawlService(config),
				createCrawlWorkerService(config),
			],
			broker: { logger: toFile, logLevel: "trace" },
			waitFor: ["auth.login", "crawl.build", "dataset.createExport", "storage.download"],
		});
		// what the runner logs first (bin/pixcrawler.ts), through the same logger
		gateway.broker.logger.info({ configuration: describeConfig({ ...process.env, ...env }) }, "Effective configuration");
		// should a configuration object or a connection's options ever reach a log call, redaction is the net
		const probe = gateway.broker.getLogger("secrets-test");
		probe.debug({ configuration: config }, "configuration object");
		probe.debug(
			{ transporter: options.transporter, headers: { authorization: `Bearer ${configured.AUTH_JWT_SECRET}` } },
			"connection options",
		);
		// the file takes the most verbose level (Moleculer itself writes little below debug)
		probe.trace("trace level reaches the log file");

		await scenario();

		const client = new Redis({ port: redisPort, host: "127.0.0.1", password: redisPassword, lazyConnect: true });
		await client.connect();
		for (const key of await client.keys("*")) {
			const type = await client.type(key);
			const value = type === "string" ? await client.get(key) : JSON.stringify(type === "hash" ? await client.hgetall(key) : type);
			redisEntries.push({ key, value: String(value) });
		}
		client.disconnect();
		await gateway.stop();
		gateway = undefined;
		logLines = fs.readFileSync(logFile, "utf8").split("\n").filter(Boolean);
	});

	afterAll(async () => {
		await gateway?.stop();
		await Promise.all([web?.stop(), keywords?.stop(), redis?.stop(), nats?.stop()]);
		fs.rmSync(workDir, { recursive: true, force: true });
	});

	/** Touches every secret: accounts, sessions, API tokens, a superuser, a build, an export and its links. */
	async function scenario() {
		const alice = `alice-${run}@example.com`;
		const bob = `bob-${run}@example.com`;
		const admin = `admin-${run}@example.com`;
		expect((await api("POST", "/api/v1/auth/register", { body: { email: alice, password: passwords.alice, name: "Alice" } })).status).toBe(
			201,
		);
		const bobUser = await api("POST", "/api/v1/auth/register", { body: { email: bob, password: passwords.bob, name: "Bob" } });
		expect(bobUser.status).toBe(201);
		// a registration that fails validation still carries a password
		expect(
			(await api("POST", "/api/v1/auth/register", { body: { email: "not-an-email", password: passwords.wrong[0], name: "X" } })).status,
		).toBe(422);

		// wrong passwords, then sessions: issued, rotated, replayed, signed out
		for (const wrong of passwords.wrong.slice(0, 2))
			expect((await api("POST", "/api/v1/auth/login", { body: { email: alice, password: wrong } })).status).toBe(401);
		const first = await login(alice, passwords.alice, "alice");
		const rotated = await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: first.refreshToken } });
		expect(rotated.status).toBe(200);
		const second = keepSession(rotated.body, "alice rotated");
		expect((await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: first.refreshToken } })).status).toBe(401);
		expect((await api("GET", "/api/v1/auth/me", { token: second.accessToken })).status).toBe(200);

		// password change: a wrong current password first
		const third = await login(alice, passwords.alice, "alice again");
		expect(
			(
				await api("POST", "/api/v1/auth/password", {
					token: third.accessToken,
					body: { currentPassword: passwords.wrong[2], newPassword: passwords.aliceNew },
				})
			).status,
		).toBe(422);
		expect(
			(
				await api("POST", "/api/v1/auth/password", {
					token: third.accessToken,
					body: { currentPassword: passwords.alice, newPassword: passwords.aliceNew },
				})
			).status,
		).toBe(204);
		expect((await api("POST", "/api/v1/auth/login", { body: { email: alice, password: passwords.alice } })).status).toBe(401);
		const fourth = await login(alice, passwords.aliceNew, "alice after the change");
		expect((await api("POST", "/api/v1/auth/logout", { body: { refreshToken: fourth.refreshToken } })).status).toBe(204);
		const session = await login(alice, passwords.aliceNew, "alice's working session");

		// an operator: a superuser made and a password reset through the bus (the manage CLI's way), then used over HTTP
		await gateway?.broker.call("auth.adminCreateUser", { email: admin, password: passwords.admin, name: "Admin", role: "superuser" });
		await gateway?.broker.call("auth.adminUpdateUser", { email: bob, password: passwords.bobReset });
		const root = await login(admin, passwords.admin, "superuser");
		expect((await api("GET", "/api/v1/users", { token: root.accessToken })).status).toBe(200);
		await login(bob, passwords.bobReset, "bob");

		// API tokens: created (with an Idempotency-Key, so its answer may be kept), used, delegated, revoked, and bad ones
		const created = await api("POST", "/api/v1/tokens", {
			token: session.accessToken,
			body: { name: "laptop", scopes: ["datasets:read", "datasets:write", "crawl:run", "exports:read", "tokens:manage"] },
			headers: { "Idempotency-Key": randomUUID() },
		});
		expect(created.status).toBe(201);
		const token = keep("API token", String(created.body.token));
		const child = await api("POST", "/api/v1/tokens", { token, body: { name: "child", scopes: ["datasets:read"] } });
		expect(child.status).toBe(201);
		const childToken = keep("delegated API token", String(child.body.token));
		apiTokens = [token, childToken];
		expect((await api("GET", "/api/v1/datasets", { token: childToken })).status).toBe(200);
		expect((await api("GET", "/api/v1/tokens", { token })).status).toBe(200);
		const malformed = keep("malformed API token", `pxc_${"A".repeat(38)}`);
		expect((await api("GET", "/api/v1/datasets", { token: malformed })).status).toBe(401);
		const forged = keep(
			"JWT signed with another secret",
			await new SignJWT({ role: "superuser" })
				.setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
				.setSubject("someone")
				.setIssuer("pixcrawler")
				.setAudience("pixcrawler-api")
				.setExpirationTime("5m")
				.sign(new TextEncoder().encode(secretValue("not-our-secret"))),
		);
		expect((await api("GET", "/api/v1/datasets", { token: forged })).status).toBe(401);
		// clients that put credentials in the URL: the platform must not write them down
		expect((await api("GET", `/api/v1/datasets?access_token=${session.accessToken}&api_key=${token}`, { token: childToken })).status).toBe(
			200,
		);
		expect((await api("GET", `/api/v1/no-such-route?token=${token}`)).status).toBe(404);

		// a build against the fixture web, keywords suggested by the endpoint that needs the API key
		const dataset = await api("POST", "/api/v1/datasets", {
			token,
			body: {
				name: "cats",
				categories: [{ label: "cat", keywords: ["cat"] }],
				sources: ["bing"],
				options: { maxImagesPerKeyword: 4, minWidth: 16, minHeight: 16, keywordExpansion: "llm" },
			},
		});
		expect(dataset.status).toBe(201);
		const datasetId = String(dataset.body.id);
		const build = await api("POST", `/api/v1/datasets/${datasetId}/build`, { token });
		expect(build.status).toBe(202);
		await waitUntil(
			async () =>
				["done", "failed", "cancelled"].includes(String((await api("GET", `/api/v1/jobs/${build.body.jobId}`, { token })).body.status)),
			30000,
			"the build",
		);
		expect((await api("GET", `/api/v1/jobs/${build.body.jobId}`, { token })).body.status).toBe("done");
		expect(keywords.authorizations).toContain(`Bearer ${configured.CRAWL_KEYWORDS_LLM_API_KEY}`);

		// signed links: images and an export, downloaded by link and by route (whole and resumed)
		const images = (await api("GET", `/api/v1/datasets/${datasetId}/images?pageSize=100`, { token })).body.items as { url: string }[];
		expect(images.length).toBeGreaterThan(0);
		for (const image of images.slice(0, 3)) {
			keep(`signed image link ${image.url.slice(-8)}`, image.url.split("/").pop() as string);
			expect((await api("GET", image.url)).status).toBe(200);
		}
		const exported = await api("POST", `/api/v1/datasets/${datasetId}/exports`, { token, body: { format: "huggingface" } });
		expect(exported.status).toBe(202);
		let ready: Record<string, unknown> = {};
		await waitUntil(
			async () => {
				ready = (await api("GET", `/api/v1/exports/${exported.body.id}`, { token })).body;
				return ready.status === "ready";
			},
			20000,
			"the export",
		);
		const link = String(ready.url);
		keep("signed export link", link.split("/").pop() as string);
		keep("signed export link signature", (link.split("/").pop() as string).split(".").pop() as string);
		expect((await api("GET", link)).status).toBe(200);
		expect((await api("GET", `${link}?download=1`)).status).toBe(200);
		expect((await api("GET", `/api/v1/exports/${exported.body.id}/download`, { token, headers: { Range: "bytes=0-99" } })).status).toBe(
			206,
		);
		expect((await api("GET", `/api/v1/files/${(link.split("/").pop() as string).slice(0, -4)}abcd`)).status).toBe(403);

		// revocation, then a token that no longer works
		expect((await api("DELETE", `/api/v1/tokens/${child.body.id}`, { token: session.accessToken })).status).toBe(204);
		expect((await api("POST", "/api/v1/auth/logout", { body: { refreshToken: session.refreshToken } })).status).toBe(204);
		expect(bobUser.body.id).toEqual(expect.any(String));
	}

	it("wrote a trace-level log of the whole scenario, access lines included, every line JSON", () => {
		expect(logLines.length).toBeGreaterThan(200);
		const entries = logLines.map((line) => JSON.parse(line) as { level: number; msg?: string; path?: string; status?: number });
		expect(entries.some((entry) => entry.level === 10 && entry.msg === "trace level reaches the log file")).toBe(true);
		// the debug lines of the gateway and the broker are there too
		expect(entries.filter((entry) => entry.level === 20).length).toBeGreaterThan(100);
		const access = entries.filter((entry) => entry.msg === "request");
		expect(access.length).toBeGreaterThan(40);
		expect(access.map((entry) => entry.path)).toEqual(expect.arrayContaining(["/api/v1/auth/login", "/api/v1/files/:token"]));
		for (const message of ["Effective configuration", "configuration object", "connection options"]) {
			expect(entries.some((entry) => entry.msg === message)).toBe(true);
		}
	});

	it("logs no password, token, JWT, signed link or configured secret, in clear or encoded", () => {
		const findings: Finding[] = logLines.flatMap((line, index) => findSecrets(line, `log line ${index + 1}`, secrets));
		expect(
			findings.map(
				(finding) => `${finding.where}: ${finding.what} in ${logLines[Number(finding.where.split(" ").pop()) - 1].slice(0, 300)}`,
			),
		).toEqual([]);
	});

	it("stores no password, token, JWT, signed link or configured secret in the data directory", async () => {
		const files = filesUnder(dataDir);
		expect(files.some((file) => file.endsWith(path.join("db", "users.db")))).toBe(true);
		expect(files.some((file) => file.includes(`${path.sep}storage${path.sep}`) && file.endsWith(".zip"))).toBe(true);
		const findings: Finding[] = [];
		for (const file of files) for (const { where, text } of await storedTexts(file)) findings.push(...findSecrets(text, where, secrets));
		expect(findings.map((finding) => `${path.relative(workDir, finding.where)}: ${finding.what}`)).toEqual([]);
	});

	it("keeps nothing secret in Redis or the JetStream store", async () => {
		expect(redisEntries.some((entry) => entry.key.startsWith(keyPrefix))).toBe(true);
		const findings = redisEntries.flatMap((entry) => findSecrets(`${entry.key} ${entry.value}`, `redis ${entry.key}`, secrets));
		expect(filesUnder(natsStore).length).toBeGreaterThan(0);
		for (const file of filesUnder(natsStore))
			for (const { where, text } of await storedTexts(file)) findings.push(...findSecrets(text, where, secrets));
		expect(findings.map((finding) => `${finding.where}: ${finding.what}`)).toEqual([]);
	});

	it("stores passwords only as argon2id hashes, the current one verifying and the old ones not", async () => {
		const users = nedbDocuments(path.join(dataDir, "db", "users.db"));
		expect(users.length).toBeGreaterThanOrEqual(3);
		for (const user of users) {
			const stored = Object.entries(user).filter(([key]) => /pass|secret|token/i.test(key));
			expect(stored.map(([key]) => key)).toEqual(["passwordHash"]);
			expect(String(user.passwordHash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
		}
		const latest = (email: string) => users.filter((user) => user.email === email).pop() as { passwordHash: string };
		expect(await verify(latest(`alice-${run}@example.com`).passwordHash, passwords.aliceNew)).toBe(true);
		expect(await verify(latest(`alice-${run}@example.com`).passwordHash, passwords.alice)).toBe(false);
		expect(await verify(latest(`bob-${run}@example.com`).passwordHash, passwords.bobReset)).toBe(true);
		expect(await verify(latest(`admin-${run}@example.com`).passwordHash, passwords.admin)).toBe(true);
	});

	it("stores API tokens only as SHA-256 hashes, and refresh tokens only by their id", () => {
		const tokens = nedbDocuments(path.join(dataDir, "db", "apiTokens.db"));
		expect(tokens.map((token) => token.hash)).toEqual(expect.arrayContaining(apiTokens.map(sha256)));
		for (const token of tokens) {
			expect(String(token.hash)).toMatch(/^[0-9a-f]{64}$/);
			expect(String(token.prefix)).toMatch(/^pxc_[0-9A-Za-z]{6}$/);
			expect(fieldNames(token).filter((key) => /^(token|secret|value|plain)/i.test(key))).toEqual([]);
		}
		const refresh = nedbDocuments(path.join(dataDir, "db", "refreshTokens.db"));
		expect(refresh.map((record) => record.tokenId)).toEqual(expect.arrayContaining(refreshTokenIds));
		for (const record of refresh) expect(fieldNames(record).filter((key) => /token$/i.test(key) && key !== "tokenId")).toEqual([]);
	});
});
