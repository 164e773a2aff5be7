import { Validator } from "@seriousme/openapi-schema-validator";
import request from "supertest";
import { createAuthService } from "../../services/auth.service";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createNotifyService } from "../../services/notify.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";
import { fakeAuthService, sampleService } from "../support/sample.service";

describe("OpenAPI document", () => {
	let gateway: RunningGateway;
	let document: {
		openapi: string;
		paths: Record<
			string,
			Record<string, { "x-auth": string; description: string; security: unknown[]; responses: Record<string, unknown>; tags: string[] }>
		>;
	};

	beforeAll(async () => {
		gateway = await startGateway({
			services: [sampleService, fakeAuthService],
			waitFor: ["samples.list", "samples.scoped", "api.openapi"],
		});
		document = (await request(gateway.url).get("/api/v1/openapi.json").expect(200)).body;
	});
	afterAll(() => gateway.stop());

	it("is a valid OpenAPI 3.1 document according to a third-party validator", async () => {
		const validator = new Validator();
		const result = await validator.validate(document as unknown as Parameters<Validator["validate"]>[0]);
		expect(result.errors).toBeUndefined();
		expect(result.valid).toBe(true);
		expect(document.openapi).toBe("3.1.0");
	});

	it("contains every route the gateway serves", async () => {
		const aliases = (
			gateway.broker.getLocalService("api") as unknown as { aliases: { method: string; fullPath: string; action?: string }[] }
		).aliases;
		expect(aliases.length).toBeGreaterThan(10);
		for (const alias of aliases) {
			const path = alias.fullPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
			expect(document.paths[path]?.[alias.method.toLowerCase()]).toBeDefined();
		}
	});

	it("states the auth level of every operation, in x-auth and in the description", () => {
		for (const operations of Object.values(document.paths)) {
			for (const operation of Object.values(operations)) {
				expect(["public", "user", "superuser", "undeclared"]).toContain(operation["x-auth"]);
				expect(operation.description).toMatch(/\*\*Authorization:\*\*/);
				expect(operation.responses["500"]).toBeDefined();
			}
		}
		expect(document.paths["/api/v1/health/detailed"].get["x-auth"]).toBe("superuser");
		expect(document.paths["/api/v1/health/detailed"].get.responses["403"]).toBeDefined();
		expect(document.paths["/health"].get.security).toEqual([]);
	});

	it("documents request bodies, examples, path parameters and scopes from the action schemas", () => {
		const create = document.paths["/api/v1/samples"].post as unknown as {
			requestBody: {
				content: { "application/json": { schema: { properties: Record<string, unknown>; required: string[] }; example: unknown } };
			};
			responses: Record<string, unknown>;
		};
		const body = create.requestBody.content["application/json"];
		expect(body.schema.required).toEqual(["name"]);
		expect(body.schema.properties.size).toMatchObject({ type: "integer", minimum: 1 });
		expect(body.example).toEqual({ name: "cats", size: 3 });
		expect(create.responses["201"]).toBeDefined();
		expect(create.responses["409"]).toBeDefined();
		expect(create.responses["422"]).toBeDefined();
		const publish = document.paths["/api/v1/samples/{id}/publish"].post as unknown as {
			parameters: { in: string; name: string }[];
			"x-scopes": string[];
		};
		expect(publish.parameters).toEqual([
			expect.objectContaining({ in: "path", name: "id" }),
			{ $ref: "#/components/parameters/IdempotencyKey" },
		]);
		expect(publish["x-scopes"]).toEqual(["samples:write"]);
	});

	it("lists query parameters for reads", () => {
		const list = document.paths["/api/v1/samples"].get as unknown as { parameters: { in: string; name: string }[] };
		expect(list.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(["query:page", "query:pageSize"]);
	});

	it("flags routes without a declared auth level", () => {
		expect(document.paths["/api/v1/public/forgotten"].get["x-auth"]).toBe("undeclared");
	});
});

describe("OpenAPI document of the whole platform", () => {
	it("declares a schema for every JSON success answer, a real media type for every other one and nothing for a 204", async () => {
		const config = testConfig();
		const platform = await startGateway({
			services: [
				createAuthService(config),
				createStorageService(config),
				createDatasetService(config),
				createCrawlService(config),
				createCrawlWorkerService(config),
				createNotifyService(config),
			],
			waitFor: ["auth.register", "dataset.createExport", "crawl.getJob", "storage.usage", "notify.createWebhook", "api.openapi"],
		});
		try {
			const { body } = await request(platform.url).get("/api/v1/openapi.json").expect(200);
			const schemas = body.components.schemas as Record<string, unknown>;
			const answers: string[] = [];
			for (const [path, operations] of Object.entries(body.paths as Record<string, Record<string, { responses: object }>>)) {
				for (const [method, operation] of Object.entries(operations)) {
					const [status, success] = Object.entries(operation.responses).find(([code]) => code.startsWith("2")) as [
						string,
						{ content?: Record<string, { schema?: { $ref?: string; type?: string; format?: string; oneOf?: { $ref?: string }[] } }> },
					];
					const route = `${method.toUpperCase()} ${path} ${status}`;
					if (status === "204") {
						expect([route, success.content]).toEqual([route, undefined]);
						continue;
					}
					const media = Object.entries(success.content ?? {});
					expect([route, media.length > 0]).toEqual([route, true]);
					for (const [type, { schema }] of media) {
						if (type === "application/json") {
							// one schema, or one of several (sign-in and refresh: the session in the body or in a cookie)
							for (const ref of schema?.oneOf?.map((one) => one.$ref) ?? [schema?.$ref]) {
								const name = ref?.replace("#/components/schemas/", "") ?? "";
								expect([route, name in schemas]).toEqual([route, true]);
							}
						} else {
							// bytes, text pages and event streams are strings: never a JSON schema
							expect([route, type, schema?.type, schema?.$ref]).toEqual([route, type, "string", undefined]);
							if (!type.startsWith("text/")) expect([route, schema?.format]).toEqual([route, "binary"]);
						}
						answers.push(`${route} ${type}`);
					}
				}
			}
			expect(answers).toEqual(
				expect.arrayContaining([
					"GET /api/v1/datasets 200 application/json",
					"GET /api/v1/exports/{id}/download 200 application/zip",
					"GET /api/v1/files/{token} 200 application/octet-stream",
					"GET /api/v1/jobs/{id}/events 200 text/event-stream",
					"GET /api/v1/datasets/{id}/events 200 text/event-stream",
					"GET /api/v1/events 200 text/event-stream",
					"GET /api/v1/webhooks/{id}/deliveries 200 application/json",
				]),
			);
			// every $ref in the schemas points at a schema that exists
			for (const [, name] of JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g))
				expect(schemas[name]).toBeDefined();
			expect((await new Validator().validate(body)).valid).toBe(true);
		} finally {
			await platform.stop();
		}
	});
});
