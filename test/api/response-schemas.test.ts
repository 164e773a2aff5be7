import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import request from "supertest";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, waitUntil } from "../support/gateway";
import { startPlatform } from "../support/platform";

/**
 * The OpenAPI document tells the truth about answers: every route of the platform is called with a
 * valid request and its answer is checked against what the document declares for that operation and
 * status — the JSON body against the schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses), any other
 * answer against the declared media types, a 204 for having no body.
 */

jest.setTimeout(60000);

type Method = "get" | "post" | "patch" | "delete";
type Schema = Record<string, unknown>;
interface Media {
	schema?: Schema;
}
interface Response {
	$ref?: string;
	content?: Record<string, Media>;
}
interface Document {
	paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
	components: { schemas: Record<string, Schema>; responses: Record<string, Response> };
}
// biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document's schemas, not typed here
type Body = any;

const PASSWORD = "correct horse battery staple";
const SCHEMA_BASE = "https://pixcrawler.test/schemas/";
const JSON_TYPES = new Set(["application/json", "application/problem+json"]);

describe("the answers of every route match the schemas the OpenAPI document declares", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-response-schemas-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let document: Document;
	const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
	addFormats(ajv);
	/** Every `METHOD path status media` whose answer was checked. */
	const checked = new Set<string>();

	const api = () => request(gateway.url);
	let alice: string;
	let admin: string;
	let aliceRefresh: string;
	let aliceId: string;

	function validatorFor(schema: Schema): ValidateFunction {
		const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
		if (ref?.startsWith("#/components/schemas/")) {
			return ajv.getSchema(`${SCHEMA_BASE}${ref.slice("#/components/schemas/".length)}`) as ValidateFunction;
		}
		return ajv.compile(withAbsoluteRefs(schema));
	}

	/** Checks an answer against the document, for the operation at `template` (OpenAPI path syntax). */
	function check(method: Method, template: string, res: request.Response): Body {
		const operation = document.paths[template]?.[method];
		expect([method, template, operation !== undefined]).toEqual([method, template, true]);
		let response = operation.responses[String(res.status)];
		const where = `${method.toUpperCase()} ${template} ${res.status}`;
		expect([where, response !== undefined]).toEqual([where, true]);
		if (response.$ref) response = document.components.responses[response.$ref.split("/").at(-1) as string];
		if (!response.content) {
			expect([where, res.status, res.headers["content-length"] ?? "0"]).toEqual([where, 204, "0"]);
			checked.add(where);
			return undefined;
		}
		const type = String(res.headers["content-type"]).split(";")[0].trim();
		expect([where, type, Object.keys(response.content)]).toEqual([where, type, expect.arrayContaining([type])]);
		const schema = response.content[type].schema;
		if (JSON_TYPES.has(type) && schema) {
			const validate = validatorFor(schema);
			validate(res.body);
			expect([where, validate.errors ?? null, res.body]).toEqual([where, null, res.body]);
		}
		checked.add(`${where} ${type}`);
		return res.body;
	}

	const url = (template: string, params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_all, name: string) => params[name]);

	/** Calls the route and checks the answer; `status` is the one the call must get. */
	async function call(
		method: Method,
		template: string,
		options: { as?: string; params?: Record<string, string>; query?: string; body?: object; status: number },
	): Promise<Body> {
		let req = api()[method](`${url(template, options.params ?? {})}${options.query ? `?${options.query}` : ""}`);
		if (options.as) req = req.set("Authorization", `Bearer ${options.as}`);
		const res = await (options.body ? req.send(options.body) : req);
		expect([method, template, res.status, res.status === options.status ? null : res.body]).toEqual([
			method,
			template,
			options.status,
			null,
		]);
		return check(method, template, res);
	}

	async function register(email: string) {
		return call("post", "/api/v1/auth/register", { body: { email, password: PASSWORD, name: "Ada" }, status: 201 });
	}
	async function login(email: string) {
		return call("post", "/api/v1/auth/login", { body: { email, password: PASSWORD }, status: 200 });
	}
	async function jobEnded(jobId: string) {
		let job: Body;
		await waitUntil(
			async () => {
				job = await call("get", "/api/v1/jobs/{id}", { as: alice, params: { id: jobId }, status: 200 });
				return ["done", "failed", "cancelled"].includes(job.status);
			},
			30000,
			`job ${jobId} to end`,
		);
		return job;
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 20 });
		gateway = await startPlatform({
			env: {
				PIXCRAWLER_DATA_DIR: dataDir,
				RATE_LIMIT_AUTH: "10000",
				CRAWL_RETRY_CAP_MS: "200",
				CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "4",
				...web.env(),
			},
			waitFor: ["auth.register", "dataset.createExport", "crawl.getJob", "storage.usage", "api.openapi"],
		});
		document = (await api().get("/api/v1/openapi.json").expect(200)).body;
		for (const [name, schema] of Object.entries(document.components.schemas)) {
			ajv.addSchema({ ...withAbsoluteRefs(schema), $id: `${SCHEMA_BASE}${name}` });
		}

		const stamp = Date.now();
		aliceId = (await register(`alice-${stamp}@example.com`)).id;
		const adminId = (await register(`admin-${stamp}@example.com`)).id;
		await (
			gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(adminId, { role: "superuser" });
		const aliceTokens = await login(`alice-${stamp}@example.com`);
		alice = aliceTokens.accessToken;
		aliceRefresh = aliceTokens.refreshToken;
		admin = (await login(`admin-${stamp}@example.com`)).accessToken;
	});
	afterAll(async () => {
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("account, token and user routes", async () => {
		const refreshed = await call("post", "/api/v1/auth/refresh", { body: { refreshToken: aliceRefresh }, status: 200 });
		aliceRefresh = refreshed.refreshToken;
		await call("get", "/api/v1/auth/me", { as: alice, status: 200 });
		await call("patch", "/api/v1/auth/me", { as: alice, body: { name: "Ada Lovelace" }, status: 200 });

		const token = await call("post", "/api/v1/tokens", {
			as: alice,
			body: { name: "laptop", scopes: ["datasets:read"], expiresInDays: 30 },
			status: 201,
		});
		const page = await call("get", "/api/v1/tokens", { as: alice, status: 200 });
		expect(page.items.map((item: { id: string }) => item.id)).toContain(token.id);
		// an API token's answers are the same documents
		await call("get", "/api/v1/datasets", { as: token.token, status: 200 });
		await call("delete", "/api/v1/tokens/{id}", { as: alice, params: { id: token.id }, status: 204 });

		await call("get", "/api/v1/users", { as: admin, query: "pageSize=100", status: 200 });
		await call("get", "/api/v1/users/{id}", { as: admin, params: { id: aliceId }, status: 200 });
		await call("patch", "/api/v1/users/{id}", { as: admin, params: { id: aliceId }, body: { name: "Ada L." }, status: 200 });
		const carol = await register(`carol-${Date.now()}@example.com`);
		await call("delete", "/api/v1/users/{id}", { as: admin, params: { id: carol.id }, status: 204 });
		// errors are problem+json as documented
		await call("get", "/api/v1/users/{id}", { as: admin, params: { id: carol.id }, status: 404 });
		await call("get", "/api/v1/users", { as: alice, status: 403 });
	});

	it("health, readiness and documentation routes", async () => {
		await call("get", "/health", { status: 200 });
		await call("get", "/health/ready", { status: 200 });
		await call("get", "/api/v1/health", { status: 200 });
		await call("get", "/api/v1/health/detailed", { as: admin, status: 200 });
		await call("get", "/api/v1/openapi.json", { status: 200 });
		await call("get", "/metrics", { status: 200 });
		await call("get", "/docs", { status: 200 });
		await call("get", "/redoc", { status: 200 });
		await call("get", "/docs/assets/{file}", { params: { file: "swagger-ui.css" }, status: 200 });
	});

	let datasetId: string;
	let jobId: string;
	let projectId: string;
	let datasetAnswer: Body;

	it("project and dataset routes, and a build with valid, duplicate, rejected and failed images", async () => {
		const project = await call("post", "/api/v1/projects", { as: alice, body: { name: "pets" }, status: 201 });
		projectId = project.id;
		await call("get", "/api/v1/projects", { as: alice, status: 200 });
		await call("get", "/api/v1/projects/{id}", { as: alice, params: { id: projectId }, status: 200 });
		await call("patch", "/api/v1/projects/{id}", { as: alice, params: { id: projectId }, body: { description: "Animals" }, status: 200 });

		const dataset = await call("post", "/api/v1/datasets", {
			as: alice,
			body: {
				name: "animals",
				projectId,
				categories: [
					{
						label: "cat",
						keywords: ["cat"],
						// a near copy of a kept image, one too small, one that never answers (its task ends dead)
						urls: [`${web.url}/img/cat/16.jpg`, `${web.url}/img/cat/17.jpg`, `${web.url}/tiny/t1`, "http://127.0.0.1:1/down.jpg"],
					},
					{ label: "dog", urls: [`${web.url}/img/dog/1.jpg`] },
				],
				sources: ["wikimedia", "urls"],
				options: { maxImagesPerKeyword: 3, minWidth: 32, minHeight: 32, keywordExpansion: "none" },
			},
			status: 201,
		});
		datasetId = dataset.id;
		datasetAnswer = dataset;
		await call("get", "/api/v1/datasets", { as: alice, query: `projectId=${projectId}`, status: 200 });
		await call("patch", "/api/v1/datasets/{id}", {
			as: alice,
			params: { id: datasetId },
			body: { description: "Cats and a dog" },
			status: 200,
		});

		const started = await call("post", "/api/v1/datasets/{id}/build", { as: alice, params: { id: datasetId }, status: 202 });
		jobId = started.jobId;
		const job = await jobEnded(jobId);
		expect(job.status).toBe("done");
		await call("get", "/api/v1/datasets/{id}", { as: alice, params: { id: datasetId }, status: 200 });
		await call("get", "/api/v1/jobs", { as: alice, status: 200 });
		const tasks = await call("get", "/api/v1/jobs/{id}/tasks", { as: alice, params: { id: jobId }, query: "pageSize=100", status: 200 });
		expect(tasks.items.map((task: { status: string }) => task.status)).toContain("dead");
		await call("get", "/api/v1/jobs/{id}/logs", { as: alice, params: { id: jobId }, query: "pageSize=100", status: 200 });
	});

	it("image routes and the dataset's metadata", async () => {
		const images = await call("get", "/api/v1/datasets/{id}/images", {
			as: alice,
			params: { id: datasetId },
			query: "pageSize=100",
			status: 200,
		});
		const statuses = new Set(images.items.map((image: { status: string }) => image.status));
		expect([...statuses].sort()).toEqual(["duplicate", "rejected", "valid"]);
		const valid = images.items.find((image: { status: string; label: string }) => image.status === "valid" && image.label === "cat");
		await call("get", "/api/v1/datasets/{id}/images/{imageId}", { as: alice, params: { id: datasetId, imageId: valid.id }, status: 200 });
		const file = await api().get(valid.url).buffer(true);
		check("get", "/api/v1/files/{token}", file);
		await call("patch", "/api/v1/datasets/{id}/images/{imageId}", {
			as: alice,
			params: { id: datasetId, imageId: valid.id },
			body: { label: "dog" },
			status: 200,
		});
		const metadata = await call("get", "/api/v1/datasets/{id}/metadata", { as: alice, params: { id: datasetId }, status: 200 });
		expect(metadata.perLabel.dog).toBeGreaterThanOrEqual(2);
		await call("get", "/api/v1/storage/usage", { as: alice, status: 200 });
		await call("get", "/api/v1/admin/storage", { as: admin, query: "top=5", status: 200 });
		const rejected = images.items.find((image: { status: string }) => image.status === "rejected");
		await call("delete", "/api/v1/datasets/{id}/images/{imageId}", {
			as: alice,
			params: { id: datasetId, imageId: rejected.id },
			status: 204,
		});
	});

	it("activity log and plan limit routes", async () => {
		let own: Body;
		await waitUntil(async () => {
			own = await call("get", "/api/v1/activity", { as: alice, query: "pageSize=100", status: 200 });
			return own.items.some((entry: { action: string }) => entry.action === "dataset.createDataset");
		});
		const created = own.items.find((entry: { action: string }) => entry.action === "dataset.createDataset");
		await call("get", "/api/v1/activity", { as: alice, query: `resourceType=dataset&resourceId=${created.resourceId}`, status: 200 });
		await call("get", "/api/v1/admin/activity", {
			as: admin,
			query: `userId=${aliceId}&action=dataset.createDataset&from=${encodeURIComponent(created.at)}`,
			status: 200,
		});
		await call("get", "/api/v1/activity", { as: alice, query: "from=yesterday", status: 422 });
		await call("get", "/api/v1/admin/activity", { as: alice, status: 403 });

		const limits = await call("get", "/api/v1/admin/users/{id}/limits", { as: admin, params: { id: aliceId }, status: 200 });
		expect(limits.usage.datasets).toBeGreaterThanOrEqual(1);
		await call("patch", "/api/v1/admin/users/{id}/limits", { as: admin, params: { id: aliceId }, body: { datasets: 500 }, status: 200 });
		await call("patch", "/api/v1/admin/users/{id}/limits", { as: admin, params: { id: aliceId }, body: { datasets: null }, status: 200 });
		await call("patch", "/api/v1/admin/users/{id}/limits", { as: admin, params: { id: aliceId }, body: { datasets: -1 }, status: 422 });
		const account = await call("get", "/api/v1/auth/me", { as: alice, status: 200 });
		expect(account.usage.datasets).toBe(limits.usage.datasets);
	});

	it("event streams carry jobs as their data", async () => {
		for (const [template, id] of [
			["/api/v1/jobs/{id}/events", jobId],
			["/api/v1/datasets/{id}/events", datasetId],
		]) {
			const res = await api()
				.get(url(template, { id }))
				.set("Authorization", `Bearer ${alice}`)
				.buffer(true)
				.parse((stream, done) => {
					let text = "";
					stream.setEncoding("utf8");
					stream.on("data", (chunk: string) => {
						text += chunk;
					});
					stream.on("end", () => done(null, text));
				});
			check("get", template, res);
			const data = [...String(res.body).matchAll(/^data: (.+)$/gm)].map((match) => JSON.parse(match[1]));
			expect(data.length).toBeGreaterThanOrEqual(2);
			const validate = ajv.getSchema(`${SCHEMA_BASE}Job`) as ValidateFunction;
			for (const job of data) {
				validate(job);
				expect(validate.errors ?? null).toBeNull();
			}
		}
	});

	it("export routes, the archive download and a second look at a requeued task", async () => {
		const created = await call("post", "/api/v1/datasets/{id}/exports", {
			as: alice,
			params: { id: datasetId },
			body: { format: "imagefolder", split: { train: 0.5, val: 0.25, test: 0.25 } },
			status: 202,
		});
		await call("get", "/api/v1/datasets/{id}/exports", { as: alice, params: { id: datasetId }, status: 200 });
		let ready: Body;
		await waitUntil(async () => {
			ready = await call("get", "/api/v1/exports/{id}", { as: alice, params: { id: created.id }, status: 200 });
			return ready.status === "ready";
		});
		expect(ready.url).toEqual(expect.any(String));
		const archive = await api().get(`/api/v1/exports/${created.id}/download`).set("Authorization", `Bearer ${alice}`).buffer(true);
		expect(archive.status).toBe(200);
		check("get", "/api/v1/exports/{id}/download", archive);
		await call("delete", "/api/v1/exports/{id}", { as: alice, params: { id: created.id }, status: 204 });

		// the build's dead task: retried by its owner, then requeued by a superuser
		await call("post", "/api/v1/jobs/{id}/retry", { as: alice, params: { id: jobId }, status: 200 });
		await jobEnded(jobId);
		const jobs = await call("get", "/api/v1/admin/jobs", { as: admin, query: `datasetId=${datasetId}`, status: 200 });
		expect(jobs.items.map((job: { id: string }) => job.id)).toContain(jobId);
		await call("get", "/api/v1/admin/jobs/{id}", { as: admin, params: { id: jobId }, status: 200 });
		const dead = await call("get", "/api/v1/admin/tasks", { as: admin, query: `status=dead&jobId=${jobId}&pageSize=100`, status: 200 });
		expect(dead.items.every((item: { jobId: string }) => item.jobId === jobId)).toBe(true);
		const task = dead.items.find((item: { jobId: string }) => item.jobId === jobId);
		await call("post", "/api/v1/admin/tasks/{id}/requeue", { as: admin, params: { id: task.id }, status: 200 });
		await jobEnded(jobId);
	});

	it("notification and webhook routes, and the user's event stream", async () => {
		// the builds and exports above left notifications; a new export adds one while the stream is open
		const controller = new AbortController();
		const stream = await fetch(`${gateway.url}/api/v1/events`, {
			headers: { Authorization: `Bearer ${alice}` },
			signal: controller.signal,
		});
		check("get", "/api/v1/events", {
			status: stream.status,
			headers: { "content-type": stream.headers.get("content-type") },
		} as unknown as request.Response);
		let streamed = "";
		const reading = (async () => {
			const decoder = new TextDecoder();
			try {
				for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) streamed += decoder.decode(chunk, { stream: true });
			} catch {
				// aborted below
			}
		})();
		await call("post", "/api/v1/datasets/{id}/exports", { as: alice, params: { id: datasetId }, body: { format: "json" }, status: 202 });
		await waitUntil(() => /^event: notification$/m.test(streamed), 15000, "a streamed notification");
		controller.abort();
		await reading;
		const validateNotification = ajv.getSchema(`${SCHEMA_BASE}Notification`) as ValidateFunction;
		for (const [, data] of streamed.matchAll(/^data: (.+)$/gm)) {
			validateNotification(JSON.parse(data));
			expect(validateNotification.errors ?? null).toBeNull();
		}

		const page = await call("get", "/api/v1/notifications", { as: alice, query: "pageSize=100", status: 200 });
		expect(page.items.map((item: { type: string }) => item.type)).toEqual(expect.arrayContaining(["job.completed", "export.ready"]));
		await call("get", "/api/v1/notifications", { as: alice, query: "unread=true&type=export.ready", status: 200 });
		await call("patch", "/api/v1/notifications/{id}", { as: alice, params: { id: page.items[0].id }, body: { read: true }, status: 200 });
		await call("post", "/api/v1/notifications/read-all", { as: alice, status: 200 });

		const webhook = await call("post", "/api/v1/webhooks", {
			as: alice,
			body: { url: `${web.url}/tiny/webhook`, events: ["job.completed", "job.failed", "job.cancelled", "export.ready", "export.failed"] },
			status: 201,
		});
		await call("get", "/api/v1/webhooks", { as: alice, status: 200 });
		await call("patch", "/api/v1/webhooks/{id}", { as: alice, params: { id: webhook.id }, body: { description: "renamed" }, status: 200 });
		await call("post", "/api/v1/webhooks/{id}/test", { as: alice, params: { id: webhook.id }, status: 202 });
		let deliveries: Body;
		await waitUntil(async () => {
			deliveries = await call("get", "/api/v1/webhooks/{id}/deliveries", { as: alice, params: { id: webhook.id }, status: 200 });
			return deliveries.items[0]?.status === "delivered";
		});
		expect(deliveries.items[0].attemptLog).toHaveLength(1);
		await call("delete", "/api/v1/webhooks/{id}", { as: alice, params: { id: webhook.id }, status: 204 });
		await call("get", "/api/v1/webhooks/{id}/deliveries", { as: alice, params: { id: webhook.id }, status: 404 });
	});

	it("cancelling builds, by job and by dataset, and deleting", async () => {
		const slow = async (name: string) =>
			(
				await call("post", "/api/v1/datasets", {
					as: alice,
					body: { name, projectId, categories: [{ label: "cat", urls: [`${web.url}/slow/headers/3000/${name}.jpg`] }], sources: ["urls"] },
					status: 201,
				})
			).id as string;
		const first = await slow("slow-1");
		const started = await call("post", "/api/v1/datasets/{id}/build", { as: alice, params: { id: first }, status: 202 });
		await call("post", "/api/v1/jobs/{id}/cancel", { as: alice, params: { id: started.jobId }, status: 200 });
		const second = await slow("slow-2");
		await call("post", "/api/v1/datasets/{id}/build", { as: alice, params: { id: second }, status: 202 });
		await call("post", "/api/v1/datasets/{id}/cancel", { as: alice, params: { id: second }, status: 200 });

		await call("delete", "/api/v1/datasets/{id}", { as: alice, params: { id: first }, status: 204 });
		await call("delete", "/api/v1/projects/{id}", { as: alice, params: { id: projectId }, status: 204 });
		await call("post", "/api/v1/auth/logout", { body: { refreshToken: aliceRefresh }, status: 204 });
		await call("post", "/api/v1/auth/password", {
			as: alice,
			body: { currentPassword: PASSWORD, newPassword: "another long passphrase" },
			status: 204,
		});
	});

	it("called every operation of the document", () => {
		const documented = Object.entries(document.paths).flatMap(([template, operations]) =>
			Object.entries(operations).flatMap(([method, operation]) => {
				const [status, response] = Object.entries(operation.responses).find(([code]) => code.startsWith("2")) as [string, Response];
				const where = `${method.toUpperCase()} ${template} ${status}`;
				return response.content ? Object.keys(response.content).map((type) => `${where} ${type}`) : [where];
			}),
		);
		// a download answers one of its media types; the rest are alternatives of the same operation
		const alternatives = (entry: string) => entry.split(" ").slice(0, 3).join(" ");
		const calledOperations = new Set([...checked].map(alternatives));
		expect(documented.map(alternatives).filter((operation) => !calledOperations.has(operation))).toEqual([]);
	});

	it("would notice an answer that strays from its schema (the checks are not vacuous)", () => {
		const validate = ajv.getSchema(`${SCHEMA_BASE}Dataset`) as ValidateFunction;
		expect(validate(datasetAnswer)).toBe(true);
		const { currentJobId: _dropped, ...missing } = datasetAnswer;
		for (const strayed of [
			missing,
			{ ...datasetAnswer, undocumented: 1 },
			{ ...datasetAnswer, status: "paused" },
			{ ...datasetAnswer, createdAt: "yesterday" },
			{ ...datasetAnswer, options: { ...datasetAnswer.options, minWidth: "64" } },
			{ ...datasetAnswer, stats: { ...datasetAnswer.stats, extra: 1 } },
		]) {
			expect(validate(strayed)).toBe(false);
		}
	});
});

/** The document's refs (`#/components/schemas/X`) as absolute ids ajv resolves among the added schemas. */
function withAbsoluteRefs(schema: Schema): Schema {
	return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${SCHEMA_BASE}`));
}
