import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { buildOpenApiDocument, type RouteOperation } from "../../../../lib/openapi/build-document";
import { RESPONSE_SCHEMA_NAMES, RESPONSE_SCHEMAS } from "../../../../lib/openapi/response-schemas";

type Content = Record<string, { schema?: Record<string, unknown>; example?: unknown }>;
interface Document {
	paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; description?: string; content?: Content }> }>>;
	components: { schemas: Record<string, Record<string, unknown>> };
}

const INFO = { title: "PixCrawler API", version: "1.0.0", description: "", serverUrl: "/" };
const route = (path: string, action: RouteOperation["action"], method = "get"): RouteOperation => ({
	method,
	path,
	actionName: `x.${path.replaceAll("/", "")}`,
	action: { auth: "user", ...action },
});

describe("response schemas", () => {
	it("has a schema for every name, each valid JSON Schema 2020-12 whose references resolve", () => {
		expect(Object.keys(RESPONSE_SCHEMAS).sort()).toEqual([...RESPONSE_SCHEMA_NAMES].sort());
		const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
		addFormats(ajv);
		const base = "https://pixcrawler.test/schemas/";
		for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) {
			ajv.addSchema({ ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}`)), $id: `${base}${name}` });
		}
		for (const name of RESPONSE_SCHEMA_NAMES) expect(() => ajv.getSchema(`${base}${name}`)).not.toThrow();
	});

	describe("in the OpenAPI document", () => {
		const document = buildOpenApiDocument(INFO, [
			route("/datasets/:id", { response: "Dataset", responseExample: { id: "d-1" } }),
			route("/datasets", { response: { page: "Dataset" } }),
			route("/jobs", { response: { page: "Job" } }),
			route("/exports/:id/download", { response: { media: ["application/zip"], alsoFor: [206] } }),
			route("/docs", { response: { media: ["text/html"] } }),
			route("/jobs/:id/events", { response: { events: "Job" } }),
			route("/ready", { response: { json: "Readiness", alsoFor: [503] } }),
			route("/datasets/:id", { response: "Dataset", successStatus: 204 }, "delete"),
		]) as unknown as Document;
		const success = (path: string, status = "200", method = "get") => document.paths[path][method].responses[status];

		it("is valid OpenAPI 3.1", async () => {
			expect((await new Validator().validate(document as unknown as Parameters<Validator["validate"]>[0])).valid).toBe(true);
		});

		it("refers a JSON answer to its named schema and keeps the example", () => {
			expect(success("/datasets/{id}").content).toEqual({
				"application/json": { schema: { $ref: "#/components/schemas/Dataset" }, example: { id: "d-1" } },
			});
		});

		it("wraps a page in a page schema of its own, present once per item schema used", () => {
			expect(success("/datasets").content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/DatasetPage" } } });
			expect(document.components.schemas.DatasetPage).toMatchObject({
				required: ["items", "total", "page", "pageSize"],
				properties: { items: { type: "array", items: { $ref: "#/components/schemas/Dataset" } } },
				additionalProperties: false,
			});
			expect(Object.keys(document.components.schemas).filter((name) => name.endsWith("Page"))).toEqual(["DatasetPage", "JobPage"]);
		});

		it("puts every named schema next to Problem", () => {
			expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Problem", ...RESPONSE_SCHEMA_NAMES]));
		});

		it("documents bytes as binary strings, text as strings and event streams as text/event-stream, with no JSON schema", () => {
			expect(success("/exports/{id}/download").content).toEqual({ "application/zip": { schema: { type: "string", format: "binary" } } });
			expect(success("/exports/{id}/download", "206")).toEqual({
				description: "Partial Content",
				content: { "application/zip": { schema: { type: "string", format: "binary" } } },
			});
			expect(success("/docs").content).toEqual({ "text/html": { schema: { type: "string" } } });
			expect(success("/jobs/{id}/events").content).toEqual({
				"text/event-stream": { schema: { type: "string", description: expect.stringContaining("#/components/schemas/Job") } },
			});
		});

		it("answers the same body with the other statuses named, besides a problem", () => {
			expect(success("/ready", "503")).toEqual({
				description: "Service Unavailable",
				content: {
					"application/json": { schema: { $ref: "#/components/schemas/Readiness" } },
					"application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
				},
			});
			expect(success("/ready", "500")).toEqual({ $ref: "#/components/responses/Problem500" });
		});

		it("gives a 204 no content whatever the action declares", () => {
			expect(success("/datasets/{id}", "204", "delete")).toEqual({ description: "No Content" });
		});
	});
});
