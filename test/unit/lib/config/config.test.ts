import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
	allVariables,
	ConfigError,
	configSchema,
	describeConfig,
	type Environment,
	loadConfig,
	maskSecret,
	readEnvironment,
} from "../../../../lib/config";

type ConfigModule = typeof import("../../../../lib/config");

const DEV_SECRET = configSchema.auth.jwtSecret.default as string;
const REAL_SECRET = "a-real-production-secret-of-40-characters";

/** The ConfigError thrown for the environment, or a failure when it loads. */
function configErrorFor(env: Environment): ConfigError {
	try {
		loadConfig(env);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("loadConfig defaults", () => {
	it("builds a complete configuration from an empty environment", () => {
		const config = loadConfig({});
		expect(config.global).toEqual({
			env: "development",
			logLevel: "info",
			dataDir: "./data",
			dbInMemory: false,
			namespace: "pixcrawler",
			nodeId: undefined,
			instances: 1,
			services: [],
			actionTimeoutMs: 10000,
			metricsEnabled: true,
			metricsPort: 0,
			probePort: 0,
			startupTimeoutMs: 30000,
			shutdownTimeoutMs: 10000,
			webhookMaxPerUser: 10,
			webhookTimeoutMs: 10000,
			webhookMaxAttempts: 8,
			webhookRetryBaseMs: 30000,
			webhookRetryCapMs: 3600000,
			webhookDisableAfterFailures: 5,
			webhookSchedulerIntervalMs: 1000,
		});
		expect(config.transporter.url).toBe("");
		expect(config.nats).toEqual({
			user: undefined,
			password: undefined,
			token: undefined,
			streamReplicas: 1,
			streamMaxAgeHours: 168,
			streamStorage: "file",
		});
		expect(config.mongo.uri).toBeUndefined();
		expect(config.redis).toEqual({ url: undefined, keyPrefix: "pixcrawler:", commandTimeoutMs: 100 });
		expect(config.gateway).toEqual({
			port: 3000,
			host: "0.0.0.0",
			publicUrl: undefined,
			trustProxy: false,
			bodyLimit: "1mb",
			requestTimeoutMs: 30000,
			readinessServices: [],
			idempotencyTtlSeconds: 86400,
			docsEnabled: true,
			dashboardEnabled: true,
			dashboardDir: undefined,
		});
		expect(config.cors).toEqual({ origins: ["http://localhost:3000", "http://localhost:5173"], credentials: true, maxAgeSeconds: 600 });
		expect(config.rateLimit).toEqual({
			enabled: true,
			windowSeconds: 60,
			defaultPoints: 600,
			authPoints: 20,
			expensivePoints: 30,
			apiTokenPerMinute: 0,
		});
		expect(config.auth).toEqual({
			jwtSecret: DEV_SECRET,
			jwtIssuer: "pixcrawler",
			jwtAudience: "pixcrawler-api",
			accessTokenTtlSeconds: 900,
			refreshTokenTtlSeconds: 2592000,
			activityRetentionDays: 90,
		});
	});

	it("gives every variable a default and a description, and names each variable once", () => {
		const names = allVariables().map((spec) => spec.env);
		expect(new Set(names).size).toBe(names.length);
		for (const spec of allVariables()) {
			expect(spec.default).toBeDefined();
			expect(spec.description.length).toBeGreaterThan(10);
		}
	});

	it("does not read process.env: only the environment it is given", () => {
		const previous = process.env.GATEWAY_PORT;
		process.env.GATEWAY_PORT = "4321";
		try {
			expect(loadConfig({}).gateway.port).toBe(3000);
		} finally {
			if (previous === undefined) delete process.env.GATEWAY_PORT;
			else process.env.GATEWAY_PORT = previous;
		}
	});
});

describe("loadConfig parsing", () => {
	it("parses numbers, lists and optional text", () => {
		const config = loadConfig({
			GATEWAY_PORT: "8080",
			PIXCRAWLER_INSTANCES: "3",
			TRANSPORTER: "nats://127.0.0.1:4222",
			SERVICES: " api, ,auth ,",
			CORS_ORIGINS: "https://a.example, https://b.example",
			NATS_USER: "  ",
			PIXCRAWLER_NODE_ID: " node-1 ",
		});
		expect(config.gateway.port).toBe(8080);
		expect(config.global.instances).toBe(3);
		expect(config.global.services).toEqual(["api", "auth"]);
		expect(config.cors.origins).toEqual(["https://a.example", "https://b.example"]);
		expect(config.nats.user).toBeUndefined();
		expect(config.global.nodeId).toBe("node-1");
	});

	it.each([
		["true", true],
		["1", true],
		["yes", true],
		["ON", true],
		[" True ", true],
		["false", false],
		["0", false],
		["no", false],
		["off", false],
	])("reads the flag word %j as %s", (word, expected) => {
		expect(loadConfig({ RATE_LIMIT_ENABLED: word }).rateLimit.enabled).toBe(expected);
	});

	it("accepts an empty TRANSPORTER (in-process) and a list of NATS servers", () => {
		expect(loadConfig({ TRANSPORTER: "" }).transporter.url).toBe("");
		expect(loadConfig({ TRANSPORTER: "nats://a:4222, nats://b:4222" }).transporter.url).toBe("nats://a:4222, nats://b:4222");
	});

	it.each([
		["false", false],
		["0", false],
		["", false],
		["2", 2],
		["loopback", ["loopback"]],
		["loopback, 10.0.0.0/8, ::1", ["loopback", "10.0.0.0/8", "::1"]],
	])("reads GATEWAY_TRUST_PROXY=%j as %j", (text, expected) => {
		expect(loadConfig({ GATEWAY_TRUST_PROXY: text }).gateway.trustProxy).toEqual(expected);
	});

	it("accepts mongodb, mongodb+srv and redis URLs and treats empty as unset", () => {
		const config = loadConfig({
			MONGO_URI: "mongodb+srv://user:pw@cluster.example/pix",
			REDIS_URL: "rediss://:pw@cache.example:6380/0",
		});
		expect(config.mongo.uri).toBe("mongodb+srv://user:pw@cluster.example/pix");
		expect(config.redis.url).toBe("rediss://:pw@cache.example:6380/0");
		expect(loadConfig({ MONGO_URI: "  ", REDIS_URL: "" }).mongo.uri).toBeUndefined();
	});

	it("accepts 0 as GATEWAY_PORT (a free port) and the test environment", () => {
		const config = loadConfig({ GATEWAY_PORT: "0", PIXCRAWLER_ENV: "test" });
		expect(config.gateway.port).toBe(0);
		expect(config.global.env).toBe("test");
	});
});

describe("loadConfig refuses bad values, naming the variable", () => {
	it.each([
		["GATEWAY_PORT", "70000"],
		["GATEWAY_PORT", "-1"],
		["GATEWAY_PORT", "80.5"],
		["GATEWAY_PORT", "http"],
		["PIXCRAWLER_LOG_LEVEL", "loud"],
		["PIXCRAWLER_ENV", "staging"],
		["PIXCRAWLER_NAMESPACE", "Upper_Case"],
		["PIXCRAWLER_INSTANCES", "0"],
		["PIXCRAWLER_ACTION_TIMEOUT_MS", "soon"],
		["TRANSPORTER", "redis://x"],
		["TRANSPORTER", "nats://a:4222,redis://b"],
		["TRANSPORTER", "nats://host/path"],
		["RATE_LIMIT_ENABLED", "maybe"],
		["RATE_LIMIT_ENABLED", ""],
		["GATEWAY_DOCS_ENABLED", "enabled"],
		["PIXCRAWLER_METRICS_ENABLED", "2"],
		["GATEWAY_TRUST_PROXY", "everyone"],
		["GATEWAY_BODY_LIMIT", "1gb"],
		["GATEWAY_HOST", "  "],
		["CORS_MAX_AGE_SECONDS", "86401"],
		["RATE_LIMIT_WINDOW_SECONDS", "0"],
		["REDIS_KEY_PREFIX", "has space"],
		["REDIS_COMMAND_TIMEOUT_MS", "5"],
		["AUTH_ACCESS_TOKEN_TTL_SECONDS", "86401"],
		["AUTH_JWT_ISSUER", ""],
	])("%s=%j", (name, value) => {
		const error = configErrorFor({ [name]: value });
		expect(error.name).toBe("ConfigError");
		expect(error.message).toMatch(/^invalid configuration: /);
		expect(error.message).toContain(name);
		expect(error.problems).toHaveLength(1);
		expect(error.problems[0].startsWith(`${name}:`)).toBe(true);
	});

	it("shows the rejected value of a non-secret variable", () => {
		expect(configErrorFor({ GATEWAY_PORT: "70000" }).message).toContain('(got "70000")');
		expect(configErrorFor({ PIXCRAWLER_LOG_LEVEL: "loud" }).message).toContain('"loud"');
	});

	it("says which protocols a URL variable expects", () => {
		expect(configErrorFor({ MONGO_URI: "http://x" }).message).toMatch(/MONGO_URI: expected a mongodb or mongodb\+srv URL/);
		expect(configErrorFor({ REDIS_URL: "mongodb://x" }).message).toMatch(/REDIS_URL: expected a redis or rediss URL/);
		expect(configErrorFor({ MONGO_URI: "not a url" }).message).toMatch(/MONGO_URI: expected a URL/);
	});

	it("names every problem in one message", () => {
		const error = configErrorFor({
			GATEWAY_PORT: "70000",
			PIXCRAWLER_LOG_LEVEL: "loud",
			RATE_LIMIT_ENABLED: "maybe",
			TRANSPORTER: "redis://x",
		});
		expect(error.problems).toHaveLength(4);
		for (const name of ["GATEWAY_PORT", "PIXCRAWLER_LOG_LEVEL", "RATE_LIMIT_ENABLED", "TRANSPORTER"]) {
			expect(error.message).toContain(name);
		}
		expect(error.message).toBe(`invalid configuration: ${error.problems.join("; ")}`);
	});
});

describe("loadConfig cross-checks", () => {
	it("refuses CORS_ORIGINS=* together with CORS_CREDENTIALS=true", () => {
		const error = configErrorFor({ CORS_ORIGINS: "*", CORS_CREDENTIALS: "true" });
		expect(error.message).toContain("CORS_ORIGINS");
		expect(error.message).toContain("CORS_CREDENTIALS");
	});

	it("refuses * among other origins when credentials are on (the default)", () => {
		expect(configErrorFor({ CORS_ORIGINS: "https://a.example,*" }).message).toContain("CORS_ORIGINS");
	});

	it("accepts CORS_ORIGINS=* without credentials", () => {
		expect(loadConfig({ CORS_ORIGINS: "*", CORS_CREDENTIALS: "false" }).cors.origins).toEqual(["*"]);
	});

	it("refuses several instances without a TRANSPORTER and accepts them with one", () => {
		const error = configErrorFor({ PIXCRAWLER_INSTANCES: "2" });
		expect(error.message).toContain("PIXCRAWLER_INSTANCES");
		expect(error.message).toContain("TRANSPORTER");
		expect(loadConfig({ PIXCRAWLER_INSTANCES: "2", TRANSPORTER: "nats://127.0.0.1:4222" }).global.instances).toBe(2);
	});

	it("names every failed cross-check in one message", () => {
		const error = configErrorFor({ CORS_ORIGINS: "*", PIXCRAWLER_INSTANCES: "4" });
		expect(error.problems).toHaveLength(2);
		expect(error.message).toContain("CORS_ORIGINS");
		expect(error.message).toContain("PIXCRAWLER_INSTANCES");
	});
});

describe("secrets in configuration errors", () => {
	it("names AUTH_JWT_SECRET when it is too short without echoing it", () => {
		const value = "tiny-secret-17ch";
		const error = configErrorFor({ AUTH_JWT_SECRET: value });
		expect(error.message).toContain("AUTH_JWT_SECRET");
		expect(error.message).toContain("at least 32 characters");
		expect(error.message).not.toContain(value);
	});

	it("does not echo a rejected MONGO_URI or REDIS_URL, which may carry a password", () => {
		const error = configErrorFor({ MONGO_URI: "http://admin:hunter2@db.example", REDIS_URL: "ftp://:swordfish@cache" });
		expect(error.message).toContain("MONGO_URI");
		expect(error.message).toContain("REDIS_URL");
		expect(error.message).not.toContain("hunter2");
		expect(error.message).not.toContain("swordfish");
		expect(error.message).not.toContain("got");
	});
});

describe("production", () => {
	it("refuses to start without its own secrets, naming each", () => {
		const error = configErrorFor({ PIXCRAWLER_ENV: "production" });
		expect(error.problems).toEqual([
			expect.stringMatching(/^AUTH_JWT_SECRET: the development default is refused in production/),
			expect.stringMatching(/^STORAGE_SIGNING_SECRET: the development default is refused in production/),
		]);
		expect(error.message).not.toContain(DEV_SECRET);
	});

	it("refuses AUTH_JWT_SECRET set to the development default", () => {
		const error = configErrorFor({ PIXCRAWLER_ENV: "production", AUTH_JWT_SECRET: DEV_SECRET });
		expect(error.message).toContain("AUTH_JWT_SECRET");
		expect(error.message).not.toContain(DEV_SECRET);
	});

	it("accepts a real secret", () => {
		const config = loadConfig({
			PIXCRAWLER_ENV: "production",
			AUTH_JWT_SECRET: REAL_SECRET,
			STORAGE_SIGNING_SECRET: `${REAL_SECRET}-storage`,
		});
		expect(config.global.env).toBe("production");
		expect(config.auth.jwtSecret).toBe(REAL_SECRET);
	});

	it("lets development and test use the development default", () => {
		expect(loadConfig({ PIXCRAWLER_ENV: "development" }).auth.jwtSecret).toBe(DEV_SECRET);
		expect(loadConfig({ PIXCRAWLER_ENV: "test", AUTH_JWT_SECRET: DEV_SECRET }).auth.jwtSecret).toBe(DEV_SECRET);
	});
});

describe("readEnvironment", () => {
	let root: string;
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-env-"));
	});
	afterEach(() => {
		fs.rmSync(root, { recursive: true, force: true });
	});

	it("reads the .env in the given root", () => {
		fs.writeFileSync(path.join(root, ".env"), "# comment\nGATEWAY_PORT=4000\nCORS_ORIGINS=https://a.example\n");
		const env = readEnvironment({}, root);
		expect(env.GATEWAY_PORT).toBe("4000");
		expect(loadConfig(env).cors.origins).toEqual(["https://a.example"]);
	});

	it("lets the real environment win over the .env file", () => {
		fs.writeFileSync(path.join(root, ".env"), "GATEWAY_PORT=4000\nGATEWAY_HOST=10.0.0.1\n");
		const env = readEnvironment({ GATEWAY_PORT: "5000" }, root);
		expect(env.GATEWAY_PORT).toBe("5000");
		expect(env.GATEWAY_HOST).toBe("10.0.0.1");
	});

	it("returns the real environment alone when there is no .env", () => {
		expect(readEnvironment({ GATEWAY_PORT: "5000" }, root)).toEqual({ GATEWAY_PORT: "5000" });
	});

	it("does not modify the environment it is given", () => {
		fs.writeFileSync(path.join(root, ".env"), "GATEWAY_PORT=4000\n");
		const processEnv: Environment = { GATEWAY_HOST: "127.0.0.1" };
		readEnvironment(processEnv, root);
		expect(processEnv).toEqual({ GATEWAY_HOST: "127.0.0.1" });
	});
});

describe("maskSecret", () => {
	it("replaces the password inside a URL with ****", () => {
		expect(maskSecret("mongodb://admin:hunter2@db.example:27017/pix")).toBe("mongodb://admin:****@db.example:27017/pix");
		expect(maskSecret("rediss://:hunter2@cache.example:6380/0")).toBe("rediss://:****@cache.example:6380/0");
	});

	it("leaves a URL without a password readable", () => {
		expect(maskSecret("mongodb://db.example:27017/pix")).toBe("mongodb://db.example:27017/pix");
	});

	it("masks a plain secret entirely", () => {
		expect(maskSecret("development-only-secret-change-me-0123456789")).toBe("****");
		expect(maskSecret("s3cr3t")).toBe("****");
	});

	it("masks a connection string it cannot parse (several hosts) entirely", () => {
		expect(maskSecret("mongodb://admin:hunter2@h1:27017,h2:27017/pix")).toBe("****");
	});
});

describe("describeConfig", () => {
	it("lists every variable with secrets masked and other values shown", () => {
		const shown = describeConfig({
			MONGO_URI: "mongodb://admin:hunter2@db.example:27017/pix",
			NATS_PASSWORD: "swordfish",
			AUTH_JWT_SECRET: REAL_SECRET,
			GATEWAY_PORT: "8080",
		});
		expect(Object.keys(shown).sort()).toEqual(
			allVariables()
				.map((spec) => spec.env)
				.sort(),
		);
		expect(shown.MONGO_URI).toBe("mongodb://admin:****@db.example:27017/pix");
		expect(shown.NATS_PASSWORD).toBe("****");
		expect(shown.AUTH_JWT_SECRET).toBe("****");
		expect(shown.GATEWAY_PORT).toBe("8080");
		expect(shown.CORS_ORIGINS).toBe("http://localhost:3000,http://localhost:5173");
		const text = JSON.stringify(shown);
		for (const secret of ["hunter2", "swordfish", REAL_SECRET]) expect(text).not.toContain(secret);
	});

	it("masks the development default secret too and shows unset secrets as empty", () => {
		const shown = describeConfig({});
		expect(shown.AUTH_JWT_SECRET).toBe("****");
		expect(JSON.stringify(shown)).not.toContain(DEV_SECRET);
		expect(shown.NATS_TOKEN).toBe("");
		expect(shown.MONGO_URI).toBe("");
	});
});

/** Stands in for process.exit, which never returns: the test sees it as a throw. */
class ExitCalled extends Error {
	constructor(readonly code: string | number | null | undefined) {
		super(`process.exit(${code})`);
	}
}

describe("process-wide configuration", () => {
	const saved = { ...process.env };
	let exit: jest.SpyInstance;
	let stderr: jest.SpyInstance;

	beforeEach(() => {
		exit = jest.spyOn(process, "exit").mockImplementation((code) => {
			throw new ExitCalled(code);
		});
		stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
	});
	afterEach(() => {
		exit.mockRestore();
		stderr.mockRestore();
		for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
		Object.assign(process.env, saved);
	});

	function freshModule(): ConfigModule {
		let loaded: ConfigModule | undefined;
		jest.isolateModules(() => {
			loaded = require("../../../../lib/config") as ConfigModule;
		});
		return loaded as ConfigModule;
	}

	it("getConfigOrExit prints one line naming the problem to stderr and exits 1", () => {
		process.env.GATEWAY_PORT = "70000";
		process.env.PIXCRAWLER_LOG_LEVEL = "loud";
		const config = freshModule();
		expect(() => config.getConfigOrExit()).toThrow(ExitCalled);
		expect(exit).toHaveBeenCalledTimes(1);
		expect(exit).toHaveBeenCalledWith(1);
		expect(stderr).toHaveBeenCalledTimes(1);
		const line = String(stderr.mock.calls[0][0]);
		expect(line).toMatch(/^pixcrawler: invalid configuration: /);
		expect(line.endsWith("\n")).toBe(true);
		expect(line.split("\n")).toHaveLength(2);
		expect(line).toContain("GATEWAY_PORT");
		expect(line).toContain("PIXCRAWLER_LOG_LEVEL");
	});

	it("getConfigOrExit does not print a rejected secret", () => {
		process.env.AUTH_JWT_SECRET = "short-and-secret";
		const config = freshModule();
		expect(() => config.getConfigOrExit()).toThrow(ExitCalled);
		expect(exit).toHaveBeenCalledWith(1);
		const line = String(stderr.mock.calls[0][0]);
		expect(line).toContain("AUTH_JWT_SECRET");
		expect(line).not.toContain("short-and-secret");
	});

	it("getConfigOrExit returns the configuration from the process environment when it is valid", () => {
		process.env.GATEWAY_PORT = "0";
		process.env.CORS_ORIGINS = "https://app.example";
		const config = freshModule().getConfigOrExit();
		expect(exit).not.toHaveBeenCalled();
		expect(stderr).not.toHaveBeenCalled();
		expect(config.cors.origins).toEqual(["https://app.example"]);
		expect(config.global.env).toBe("test");
	});

	it("getConfig reads once and caches until setConfig replaces it", () => {
		process.env.GATEWAY_PORT = "0";
		const config = freshModule();
		const first = config.getConfig();
		process.env.GATEWAY_PORT = "1234";
		expect(config.getConfig()).toBe(first);
		expect(config.getConfig().gateway.port).toBe(0);
		const replaced = config.setConfig({ GATEWAY_PORT: "4321" });
		expect(replaced.gateway.port).toBe(4321);
		expect(config.getConfig()).toBe(replaced);
	});

	it("setConfig throws a ConfigError for a bad environment and keeps the previous configuration", () => {
		const config = freshModule();
		const good = config.setConfig({ GATEWAY_PORT: "4321" });
		expect(() => config.setConfig({ GATEWAY_PORT: "70000" })).toThrow(config.ConfigError);
		expect(config.getConfig()).toBe(good);
	});

	it("getConfigOrExit rethrows errors that are not configuration errors", () => {
		// A .env in the project root that cannot be read (here a directory) is an operating system error, not a ConfigError.
		const root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-env-"));
		fs.mkdirSync(path.join(root, ".env"));
		let config: ConfigModule | undefined;
		jest.isolateModules(() => {
			jest.doMock("../../../../lib/project", () => ({ projectRoot: root, projectVersion: "0.0.0" }));
			config = require("../../../../lib/config") as ConfigModule;
		});
		// test runs skip .env on purpose; this case is about a deployment reading it
		const previousEnv = process.env.PIXCRAWLER_ENV;
		process.env.PIXCRAWLER_ENV = "development";
		try {
			expect(() => config?.getConfigOrExit()).toThrow(/EISDIR/);
			expect(exit).not.toHaveBeenCalled();
			expect(stderr).not.toHaveBeenCalled();
		} finally {
			process.env.PIXCRAWLER_ENV = previousEnv;
			jest.dontMock("../../../../lib/project");
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});

describe("numbers and proxies are parsed strictly", () => {
	it.each([
		["GATEWAY_PORT", ""],
		["GATEWAY_PORT", "0x50"],
		["GATEWAY_PORT", "80.5"],
		["RATE_LIMIT_DEFAULT", "-3"],
		["CORS_MAX_AGE_SECONDS", "1e3"],
	])("refuses %s=%j instead of guessing a number", (name, value) => {
		expect(configErrorFor({ [name]: value }).message).toContain(name);
	});

	it("refuses proxy entries that are not addresses, CIDRs or known names", () => {
		expect(configErrorFor({ GATEWAY_TRUST_PROXY: "cafe" }).message).toContain("GATEWAY_TRUST_PROXY");
		expect(loadConfig({ GATEWAY_TRUST_PROXY: "loopback, 10.0.0.0/8, ::1" }).gateway.trustProxy).toEqual(["loopback", "10.0.0.0/8", "::1"]);
	});
});

describe("maskSecret with credentials in the query string", () => {
	it("masks the whole query of a secret URL", () => {
		expect(maskSecret("mongodb://db.example:27017/pix?authSource=admin&password=hunter2")).toBe("mongodb://db.example:27017/pix?****");
	});
});

describe("secrets in URLs", () => {
	it("masks NATS credentials in TRANSPORTER when printed", () => {
		const shown = describeConfig({ TRANSPORTER: "nats://alice:s3cr3t@nats.internal:4222" });
		expect(shown.TRANSPORTER).toBe("nats://alice:****@nats.internal:4222");
	});

	it("masks a lone user-info part, which is usually a token", () => {
		expect(maskSecret("redis://tokenonly@cache.internal:6379")).toBe("redis://****@cache.internal:6379");
	});

	it("does not echo a refused TRANSPORTER that carries credentials", () => {
		expect(configErrorFor({ TRANSPORTER: "redis://alice:s3cr3t@x" }).message).not.toContain("s3cr3t");
	});
});

describe("test runs and .env", () => {
	it("ignore the project's .env so local settings cannot leak into the suite", () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-env-"));
		fs.writeFileSync(path.join(root, ".env"), "REDIS_URL=redis://127.0.0.1:6399\n");
		try {
			expect(readEnvironment({ PIXCRAWLER_ENV: "test" }, root).REDIS_URL).toBeUndefined();
			expect(readEnvironment({ PIXCRAWLER_ENV: "development" }, root).REDIS_URL).toBe("redis://127.0.0.1:6399");
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});
