/**
 * Generates the SDK's OpenAPI types, sdk/src/openapi.ts, from the live OpenAPI document: starts the
 * platform in-process (every service, so every route is published) on a free port, fetches
 * /api/v1/openapi.json, turns it into types with openapi-typescript and formats them with biome.
 *
 *   npm run sdk:types               writes sdk/src/openapi.ts
 *   npm run sdk:types -- --check    exits 1 when the checked-in file differs from a fresh one
 *
 * The platform runs on a fixed configuration (in-memory database, defaults), never the developer's
 * environment, so the same routes give the same file on every machine.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";

const ROOT = path.resolve(__dirname, "..");
const OPENAPI_TYPES_FILE = path.join(ROOT, "sdk", "src", "openapi.ts");

const HEADER = `/**
 * Generated from the PixCrawler OpenAPI document by \`npm run sdk:types\` (scripts/sdk-openapi-types.ts)
 * with openapi-typescript: do not edit. A route or schema change needs a regeneration;
 * sdk/test/openapi-types.test.ts fails until this file is up to date.
 */
`;

/** Routes every service publishes: once they all answer, the document is complete. */
const ROUTED_ACTIONS = [
	"auth.register",
	"dataset.createDataset",
	"dataset.createExport",
	"crawl.getJob",
	"storage.usage",
	"notify.createWebhook",
	"api.openapi",
];

/** The live document of a platform started in-process with every service. */
async function fetchLiveOpenApiDocument(): Promise<OpenAPI3> {
	// loaded here, not at the top: a command-line run sets its environment first (see `main`)
	const [{ loadConfig }, { brokerOptions }, { ServiceBroker }, services] = await Promise.all([
		import("../lib/config"),
		import("../moleculer.config"),
		import("moleculer"),
		Promise.all([
			import("../services/api.service"),
			import("../services/auth.service"),
			import("../services/crawl.service"),
			import("../services/crawl-worker.service"),
			import("../services/dataset.service"),
			import("../services/storage.service"),
			import("../services/notify.service"),
		]),
	]);
	const [api, auth, crawl, crawlWorker, dataset, storage, notify] = services;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-types-"));
	const config = loadConfig({
		PIXCRAWLER_ENV: "test",
		PIXCRAWLER_DB_IN_MEMORY: "true",
		PIXCRAWLER_DATA_DIR: dataDir,
		PIXCRAWLER_LOG_LEVEL: "warn",
		GATEWAY_HOST: "127.0.0.1",
		GATEWAY_PORT: "0",
	});
	const broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
	for (const schema of [
		auth.createAuthService(config),
		storage.createStorageService(config),
		dataset.createDatasetService(config),
		crawl.createCrawlService(config),
		crawlWorker.createCrawlWorkerService(config),
		notify.createNotifyService(config),
	]) {
		broker.createService(schema);
	}
	const gateway = broker.createService(api.createApiService(config)) as unknown as {
		server: { address(): { port: number } };
		aliases: { action?: string }[];
	};
	try {
		await broker.start();
		const deadline = Date.now() + 10_000;
		while (!ROUTED_ACTIONS.every((action) => gateway.aliases.some((alias) => alias.action === action))) {
			if (Date.now() > deadline) throw new Error(`routes of ${ROUTED_ACTIONS.join(", ")} were not published in time`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const response = await fetch(`http://127.0.0.1:${gateway.server.address().port}/api/v1/openapi.json`);
		if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
		return (await response.json()) as OpenAPI3;
	} finally {
		await broker.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Formats TypeScript as the repository does (biome.json), so the file passes `biome check` as generated. */
function formatWithBiome(source: string): string {
	const biome = path.join(ROOT, "node_modules", "@biomejs", "biome", "bin", "biome");
	const result = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${OPENAPI_TYPES_FILE}`], {
		cwd: ROOT,
		input: source,
		encoding: "utf8",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`biome format failed: ${result.stderr || result.stdout}`);
	return result.stdout;
}

/** The content of sdk/src/openapi.ts for a document. */
async function renderOpenApiTypes(document: OpenAPI3): Promise<string> {
	const { default: openapiTS, astToString } = await import("openapi-typescript");
	// open objects (a task's payload, a log entry's data) are `Record<string, unknown>`, not `Record<string, never>`
	const ast = await openapiTS(document, { emptyObjectsUnknown: true, silent: true });
	return formatWithBiome(`${HEADER}\n${astToString(ast)}`);
}

async function generateOpenApiTypes(): Promise<string> {
	return renderOpenApiTypes(await fetchLiveOpenApiDocument());
}

async function main(check: boolean): Promise<number> {
	// the services' modules read the process configuration when loaded: keep the developer's .env out of it
	Object.assign(process.env, { PIXCRAWLER_ENV: "test", PIXCRAWLER_DB_IN_MEMORY: "true", PIXCRAWLER_LOG_LEVEL: "warn" });
	process.env.PIXCRAWLER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-types-process-"));
	try {
		const generated = await generateOpenApiTypes();
		const relative = path.relative(ROOT, OPENAPI_TYPES_FILE);
		if (check) {
			const current = fs.existsSync(OPENAPI_TYPES_FILE) ? fs.readFileSync(OPENAPI_TYPES_FILE, "utf8") : "";
			if (current === generated) {
				console.log(`${relative} is up to date`);
				return 0;
			}
			console.error(`${relative} is out of date: run npm run sdk:types`);
			return 1;
		}
		fs.writeFileSync(OPENAPI_TYPES_FILE, generated);
		console.log(`wrote ${relative}`);
		return 0;
	} finally {
		fs.rmSync(process.env.PIXCRAWLER_DATA_DIR, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main(process.argv.includes("--check")).then(
		(code) => process.exit(code),
		(error: Error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
