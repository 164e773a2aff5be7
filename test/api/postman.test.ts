import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
	COLLECTION_FILE,
	checkPostman,
	ENVIRONMENT_FILE,
	fetchDocument,
	type OpenApiDocument,
	platformEnvironment,
	type RunningPlatform,
	startPlatform,
} from "../../scripts/postman";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";

/**
 * The committed Postman collection is what the OpenAPI document gives, and it runs in newman as one
 * working scenario against a fresh platform: every operation executed, no assertion failed.
 */

interface NewmanFailure {
	source?: { name?: string };
	error: { test?: string; message: string };
}
interface NewmanExecution {
	item: { id: string; name: string };
	response?: { code: number };
}
interface NewmanSummary {
	run: { failures: NewmanFailure[]; executions: NewmanExecution[] };
}
const newman: { run(options: Record<string, unknown>, callback: (error: Error | null, summary: NewmanSummary) => void): void } =
	require("newman");

function runNewman(options: Record<string, unknown>): Promise<NewmanSummary> {
	return new Promise((resolve, reject) => newman.run(options, (error, summary) => (error ? reject(error) : resolve(summary))));
}

const PASSWORD = "correct horse battery staple";

describe("the Postman collection", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-postman-"));
	let web: FixtureWeb;
	let platform: RunningPlatform;
	let document: OpenApiDocument;

	beforeAll(async () => {
		web = await startFixtureWeb();
		platform = await startPlatform(
			platformEnvironment(dataDir, {
				CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
				CRAWL_RETRY_BASE_MS: "50",
				CRAWL_RETRY_CAP_MS: "200",
				CRAWL_MAX_ATTEMPTS: "2",
				CRAWL_SCHEDULER_INTERVAL_MS: "50",
				CRAWL_CONNECT_TIMEOUT_MS: "1000",
				...web.env(),
			}),
		);
		document = await fetchDocument(platform.url);
	});
	afterAll(async () => {
		await platform?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("is what scripts/postman.ts generates from the live document, with a scenario step for every operation", () => {
		expect(checkPostman(document)).toEqual([]);
	});

	it("runs in newman as one scenario against a fresh platform: every operation executed, every check passed", async () => {
		// the superuser the administration requests speak as (an operator creates one with `manage createsuperuser`)
		const admin = await platform.broker.call<{ id: string }, Record<string, string>>("auth.register", {
			email: "root@example.com",
			password: PASSWORD,
			name: "Root",
		});
		await (
			platform.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(admin.id, { role: "superuser" });
		const login = await fetch(`${platform.url}/api/v1/auth/login`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ email: "root@example.com", password: PASSWORD }),
		});
		const { accessToken: adminToken } = (await login.json()) as { accessToken: string };

		const overrides: Record<string, string> = {
			baseUrl: platform.url,
			adminToken,
			catImageUrl1: `${web.url}/img/cat/1.jpg`,
			catImageUrl2: `${web.url}/img/cat/2.jpg`,
			dogImageUrl: `${web.url}/img/dog/1.jpg`,
			slowImageUrl: `${web.url}/slow/headers/1500/slow-cat.jpg`,
			// nothing listens on port 1: every attempt fails to connect, so the task ends failed
			unreachableImageUrl: "http://127.0.0.1:1/unreachable.jpg",
			// a fixture route that answers a POST with 200: the webhook's test event is delivered
			webhookUrl: `${web.url}/tiny/webhook`,
			// polls wait between requests: quick against a local platform
			pollIntervalMs: "100",
		};
		const summary = await runNewman({
			collection: JSON.parse(fs.readFileSync(COLLECTION_FILE, "utf8")),
			environment: JSON.parse(fs.readFileSync(ENVIRONMENT_FILE, "utf8")),
			envVar: Object.entries(overrides).map(([key, value]) => ({ key, value })),
			timeoutRequest: 20000,
			reporters: [],
		});

		const failures = summary.run.failures.map(
			(failure) => `${failure.source?.name ?? "?"}: ${failure.error.test ? `${failure.error.test}: ` : ""}${failure.error.message}`,
		);
		expect(failures).toEqual([]);

		const executed = new Set(summary.run.executions.map((execution) => execution.item.id.split("~")[0]));
		const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
			Object.entries(methods).map(([method, operation]) => ({ operation: `${method.toUpperCase()} ${route}`, id: operation.operationId })),
		);
		expect(operations.length).toBeGreaterThan(40);
		expect(operations.filter((operation) => !executed.has(operation.id)).map((operation) => operation.operation)).toEqual([]);
	}, 60000);
});
