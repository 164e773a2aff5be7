import { Validator } from "@seriousme/openapi-schema-validator";
import request from "supertest";
import { type RunningGateway, startGateway } from "../support/gateway";
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
		expect(publish.parameters).toEqual([expect.objectContaining({ in: "path", name: "id" })]);
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
