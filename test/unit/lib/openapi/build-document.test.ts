import { Validator } from "@seriousme/openapi-schema-validator";
import { buildOpenApiDocument, type DocumentInfo, type RouteOperation } from "../../../../lib/openapi/build-document";

interface Operation {
	operationId: string;
	tags: string[];
	summary: string;
	description: string;
	"x-auth": string;
	"x-scopes"?: string[];
	security: Record<string, string[]>[];
	parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown>; example?: unknown }[];
	requestBody?: { required: boolean; content: { "application/json": { schema: Record<string, unknown>; example?: unknown } } };
	responses: Record<string, { $ref?: string; description?: string; content?: unknown }>;
}
interface Document {
	openapi: string;
	info: Record<string, string>;
	servers: { url: string }[];
	tags: { name: string }[];
	paths: Record<string, Record<string, Operation>>;
	components: { responses: Record<string, unknown>; schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const INFO: DocumentInfo = {
	title: "PixCrawler API",
	version: "1.2.3",
	description: "Datasets from keywords",
	serverUrl: "http://127.0.0.1:3000",
};

const ROUTES: RouteOperation[] = [
	{
		method: "GET",
		path: "/api/v1/datasets",
		actionName: "dataset.list",
		action: {
			auth: "public",
			summary: "List datasets",
			params: { page: "number|optional|integer|min:1", q: { type: "string", optional: true, max: 100 } },
			example: { page: 2 },
		},
	},
	{
		method: "POST",
		path: "/api/v1/datasets",
		actionName: "dataset.create",
		action: {
			auth: "user",
			summary: "Create a dataset",
			params: { name: "string|min:1", keywords: { type: "array", items: "string" }, notes: "string|optional" },
			example: { name: "cats", keywords: ["cat", "kitten"] },
			successStatus: 201,
			responseExample: { id: "d-1", name: "cats" },
		},
	},
	{
		method: "DELETE",
		path: "/api/v1/datasets/:id",
		actionName: "dataset.remove",
		action: { auth: "superuser", summary: "Delete a dataset", params: { id: "string" }, successStatus: 204 },
	},
	{
		method: "PATCH",
		path: "/api/v1/datasets/:id",
		actionName: "dataset.update",
		action: { auth: "user", params: { id: "string", name: "string|optional" } },
	},
	{
		method: "GET",
		path: "/api/v1/datasets/:id/export",
		actionName: "dataset.export",
		action: {
			auth: "user",
			scopes: ["datasets:read", "exports:write"],
			rateLimit: "expensive",
			tag: "exports",
			description: "Export a dataset as an ImageFolder archive.",
			params: { id: "string", format: { type: "enum", values: ["imagefolder", "coco"], optional: true } },
			errors: [409],
		},
	},
	{ method: "GET", path: "/health/live", actionName: "api.live", action: { auth: "public" } },
];

function build(routes: RouteOperation[] = ROUTES): Document {
	return buildOpenApiDocument(INFO, routes) as unknown as Document;
}

function allOperations(document: Document): Operation[] {
	return Object.values(document.paths).flatMap((methods) => Object.values(methods));
}

describe("buildOpenApiDocument", () => {
	const document = build();
	const list = document.paths["/api/v1/datasets"].get;
	const create = document.paths["/api/v1/datasets"].post;
	const remove = document.paths["/api/v1/datasets/{id}"].delete;
	const update = document.paths["/api/v1/datasets/{id}"].patch;
	const exportOperation = document.paths["/api/v1/datasets/{id}/export"].get;

	it("is a valid OpenAPI 3.1 document according to a third-party validator", async () => {
		const validator = new Validator();
		const result = await validator.validate(document as unknown as Parameters<Validator["validate"]>[0]);
		expect(result.errors).toBeUndefined();
		expect(result.valid).toBe(true);
		expect(document.openapi).toBe("3.1.0");
	});

	it("would be caught by that validator if an operation lost its responses (the check is not vacuous)", async () => {
		const broken = JSON.parse(JSON.stringify(document)) as Document;
		delete (broken.paths["/api/v1/datasets"].get as Partial<Operation>).responses;
		broken.paths["/api/v1/datasets"].get.parameters?.push({ name: "x", in: "nowhere", required: true, schema: {} });
		const result = await new Validator().validate(broken as unknown as Parameters<Validator["validate"]>[0]);
		expect(result.valid).toBe(false);
	});

	it("carries the document info and server", () => {
		expect(document.info).toEqual({ title: INFO.title, version: INFO.version, description: INFO.description });
		expect(document.servers).toEqual([{ url: INFO.serverUrl }]);
	});

	it("converts :params to {params} and groups methods under one path", () => {
		expect(Object.keys(document.paths).sort()).toEqual([
			"/api/v1/datasets",
			"/api/v1/datasets/{id}",
			"/api/v1/datasets/{id}/export",
			"/health/live",
		]);
		expect(Object.keys(document.paths["/api/v1/datasets/{id}"]).sort()).toEqual(["delete", "patch"]);
		expect(JSON.stringify(document.paths)).not.toMatch(/\/:/);
	});

	it("turns the params of a GET into query parameters with their examples", () => {
		expect(list.parameters).toEqual([
			{ name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 }, example: 2 },
			{ name: "q", in: "query", required: false, schema: { type: "string", maxLength: 100 } },
		]);
		expect(list.requestBody).toBeUndefined();
	});

	it("turns the params of a POST into a JSON request body with its example", () => {
		// a POST with a caller takes an Idempotency-Key (services/api/idempotency.ts)
		expect(create.parameters).toEqual([{ $ref: "#/components/parameters/IdempotencyKey" }]);
		expect(create.requestBody?.required).toBe(true);
		const media = create.requestBody?.content["application/json"];
		expect(media?.example).toEqual({ name: "cats", keywords: ["cat", "kitten"] });
		expect(media?.schema).toMatchObject({
			type: "object",
			properties: {
				name: { type: "string", minLength: 1 },
				keywords: { type: "array", items: { type: "string" } },
				notes: { type: "string" },
			},
		});
		expect(media?.schema.required).toEqual(["name", "keywords"]);
	});

	it("uses the declared success status and response example", () => {
		expect(create.responses["201"]).toEqual({
			description: "Created",
			content: { "application/json": { example: { id: "d-1", name: "cats" } } },
			headers: { "Idempotent-Replayed": expect.objectContaining({ schema: { type: "string", enum: ["true"] } }) },
		});
		expect(create.responses["200"]).toBeUndefined();
		expect(remove.responses["204"]).toEqual({ description: "No Content" });
		expect(list.responses["200"]).toEqual({ description: "OK" });
	});

	it("declares path parameters once, as required path parameters, never again in query or body", () => {
		expect(remove.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
		expect(remove.requestBody).toBeUndefined();
		expect(update.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
		const body = update.requestBody?.content["application/json"].schema;
		expect(Object.keys(body?.properties as object)).toEqual(["name"]);
		expect(body?.required).toBeUndefined();
		expect(update.requestBody?.required).toBe(false);
		expect(exportOperation.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(["path:id", "query:format"]);
		for (const operation of allOperations(document)) {
			const names = (operation.parameters ?? []).map((parameter) => parameter.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});

	it("marks every operation with x-auth and says who may call it in the description", () => {
		expect(list["x-auth"]).toBe("public");
		expect(list.description).toContain("Public: no authentication needed.");
		expect(create["x-auth"]).toBe("user");
		expect(create.description).toContain("Requires a signed-in user");
		expect(remove["x-auth"]).toBe("superuser");
		expect(remove.description).toContain("Superuser only");
		for (const operation of allOperations(document)) {
			expect(["public", "user", "superuser"]).toContain(operation["x-auth"]);
			expect(operation.description).toContain("**Authorization:**");
		}
	});

	it("requires no security for public routes, a session for routes without scopes, and a session or scoped API token otherwise", () => {
		expect(list.security).toEqual([]);
		expect(document.paths["/health/live"].get.security).toEqual([]);
		expect(create.security).toEqual([{ bearerAuth: [] }]);
		expect(create.description).toContain("**API tokens:** not accepted");
		expect(exportOperation.security).toEqual([{ bearerAuth: [] }, { apiToken: ["datasets:read", "exports:write"] }]);
		expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["apiToken", "bearerAuth"]);
	});

	it("documents scopes, rate limit class, description and tag of a scoped route", () => {
		expect(exportOperation["x-scopes"]).toEqual(["datasets:read", "exports:write"]);
		expect(exportOperation.description).toContain("Export a dataset as an ImageFolder archive.");
		expect(exportOperation.description).toContain("`datasets:read`, `exports:write`");
		expect(exportOperation.description).toContain("**Rate limit class:** expensive.");
		expect(exportOperation.tags).toEqual(["exports"]);
		expect(list.tags).toEqual(["dataset"]);
		expect(list["x-scopes"]).toBeUndefined();
		expect(document.tags).toEqual([{ name: "api" }, { name: "dataset" }, { name: "exports" }]);
	});

	it("defaults the summary to the action name", () => {
		expect(update.summary).toBe("dataset.update");
		expect(list.summary).toBe("List datasets");
	});

	const statuses = (operation: Operation) => Object.keys(operation.responses).filter((status) => Number(status) >= 400);

	it("lists the error answers each route can give", () => {
		expect(statuses(list)).toEqual(["401", "422", "429", "500", "503", "504"]);
		expect(statuses(create)).toEqual(["400", "401", "409", "413", "415", "422", "429", "500", "503", "504"]);
		expect(statuses(remove)).toEqual(["401", "403", "404", "422", "429", "500", "503", "504"]);
		expect(statuses(exportOperation)).toEqual(["401", "403", "404", "409", "422", "429", "500", "503", "504"]);
		expect(statuses(document.paths["/health/live"].get)).toEqual(["401", "429", "500", "503", "504"]);
	});

	it("answers 401 on every route (a bad token is refused even on public ones) and 403 for superuser or scoped routes", () => {
		expect(list.responses["401"]).toBeDefined();
		expect(create.responses["403"]).toBeUndefined();
		expect(update.responses["403"]).toBeUndefined();
		expect(remove.responses["403"]).toBeDefined();
		expect(exportOperation.responses["403"]).toBeDefined();
	});

	it("points every error answer at a shared problem+json response that exists", () => {
		for (const operation of allOperations(document)) {
			expect(operation.responses["429"]).toEqual({ $ref: "#/components/responses/Problem429" });
			expect(operation.responses["500"]).toEqual({ $ref: "#/components/responses/Problem500" });
			for (const status of statuses(operation)) {
				const ref = operation.responses[status].$ref as string;
				expect(ref).toBe(`#/components/responses/Problem${status}`);
				expect(document.components.responses[ref.split("/").at(-1) as string]).toEqual({
					description: expect.any(String),
					content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
				});
			}
		}
		expect(document.components.schemas.Problem).toMatchObject({ required: ["type", "title", "status", "detail"] });
	});

	it("gives every operation a unique operationId derived from the action name", () => {
		const ids = allOperations(document).map((operation) => operation.operationId);
		expect(new Set(ids).size).toBe(ids.length);
		expect(list.operationId).toBe("datasetList");
		expect(document.paths["/health/live"].get.operationId).toBe("apiLive");
	});

	it("keeps operationIds unique when one action serves two routes", () => {
		const twice = build([
			{ method: "GET", path: "/api/v1/me", actionName: "auth.me", action: { auth: "user" } },
			{ method: "POST", path: "/api/v1/me", actionName: "auth.me", action: { auth: "user" } },
		]);
		const ids = allOperations(twice).map((operation) => operation.operationId);
		expect(ids.sort()).toEqual(["authMe", "authMePost"]);
	});

	it("builds the same document whatever order the routes come in", () => {
		expect(JSON.stringify(build([...ROUTES].reverse()))).toBe(JSON.stringify(document));
	});

	it("accepts lower-case methods", () => {
		const lower = build([{ method: "get", path: "/x/:name", actionName: "x.get", action: { auth: "public", params: { name: "string" } } }]);
		expect(lower.paths["/x/{name}"].get.parameters).toEqual([{ name: "name", in: "path", required: true, schema: { type: "string" } }]);
	});

	it("marks a route without a declared auth level as undeclared and refused", () => {
		const undeclared = build([{ method: "GET", path: "/x", actionName: "x.y", action: {} }]).paths["/x"].get;
		expect(undeclared["x-auth"]).toBe("undeclared");
		expect(undeclared.description).toContain("undeclared (the gateway refuses the route)");
		expect(undeclared.responses["401"]).toBeDefined();
	});

	it("is valid for an empty route list", async () => {
		const empty = build([]);
		expect(empty.paths).toEqual({});
		const result = await new Validator().validate(empty as unknown as Parameters<Validator["validate"]>[0]);
		expect(result.valid).toBe(true);
	});

	it("keeps operation ids unique when one action serves several routes with the same method", () => {
		const action = { auth: "public" as const, summary: "Many" };
		const document = buildOpenApiDocument(INFO, [
			{ method: "get", path: "/a", actionName: "x.list", action },
			{ method: "get", path: "/b", actionName: "x.list", action },
			{ method: "get", path: "/c", actionName: "x.list", action },
		]) as { paths: Record<string, { get: { operationId: string } }> };
		const ids = Object.values(document.paths).map((item) => item.get.operationId);
		expect(new Set(ids).size).toBe(3);
	});
});
