import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import fc from "fast-check";
import qs from "qs";
import { ACTIVITY_SERVICE } from "../../services/auth/activity";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, waitUntil } from "../support/gateway";
import { startPlatform } from "../support/platform";
import { closeConnections, type RawAnswer, send } from "./support/fuzz-http";
import {
	type CaseContext,
	caseArbitrary,
	type FuzzCase,
	type FuzzOperation,
	type IdSource,
	MUTATION_CLASSES,
	type MutationClass,
} from "./support/fuzz-mutations";
import { documentedFields, effective, type JsonSchema, normalizedField, typesOf } from "./support/fuzz-schema";
import { differences, pollution, prototypeBaseline, repositoriesOf, snapshot } from "./support/fuzz-state";
import { encodeQuery, fieldName, type Json, limitBytes, pathsOf, percentEncode, related, toJsonText } from "./support/fuzz-values";

/**
 * Input fuzzing driven by the live OpenAPI document: every operation it lists is called with
 * requests generated from its documented parameter and body schemas, then mutated (wrong types,
 * missing and unknown fields, lengths past their bounds, strings near and over the body limit, deep
 * nesting, `$` operators, hostile unicode, numbers out of range, prototype-pollution keys, hostile and
 * other users' ids). Every answer must be a documented status; never a 5xx; every 4xx problem+json,
 * a 422 naming fields the request has; every 2xx valid against the documented schema and never for a
 * request the document forbids; and a refused request must leave every repository and file as it was.
 *
 * Replay a run with FUZZ_SEED=<seed> (printed with any failure); FUZZ_RUNS sets the runs per operation
 * and class; FUZZ_SHRINK=1 shrinks a failure to a smaller example (slower).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_917);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SHRINK = process.env.FUZZ_SHRINK === "1";
/** An answer slower than this means a request can stall the platform (a blocked event loop). */
const SLOW_MS = 3000;
const SCHEMA_BASE = "https://pixcrawler.test/schemas/";
const PASSWORD = `fuzz ${randomUUID()}`;
const BODY_METHODS = new Set(["post", "put", "patch"]);
/** The activity log records every state-changing request whatever its outcome (services/auth/activity.ts): an audit trail, not the request's write. */
const AUDIT_LOGS = new Set([ACTIVITY_SERVICE]);
/** Statuses of background work (builds, tasks, exports, webhook deliveries) still under way. */
const OPEN_WORK = ["queued", "running", "delivering", "retrying"];

jest.setTimeout(240_000);

type Schema = Record<string, unknown>;
interface DocumentResponse {
	$ref?: string;
	content?: Record<string, { schema?: Schema }>;
}
interface DocumentParameter {
	name: string;
	in: "path" | "query";
	required?: boolean;
	schema: JsonSchema;
	example?: Json;
}
interface DocumentOperation {
	"x-auth": string;
	parameters?: DocumentParameter[];
	requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema; example?: Json }> };
	responses: Record<string, DocumentResponse>;
}
interface Document {
	paths: Record<string, Record<string, DocumentOperation>>;
	components: { schemas: Record<string, Schema>; responses: Record<string, DocumentResponse> };
}
// biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document's schemas, not typed here
type Body = any;

/** Path segments no object has: malformed, oversized, traversal, operators, unicode, look-alikes. */
const HOSTILE_SEGMENTS = [
	"0",
	"-1",
	"null",
	"undefined",
	"NaN",
	"1e400",
	"%20",
	"%00",
	"a%00b",
	"%0D%0A",
	"%25",
	"..",
	"%2e%2e",
	"..%2F..%2Fpackage.json",
	"%2F",
	"%5C..%5Cwin.ini",
	"%7B%22%24gt%22%3A%22%22%7D",
	"%24where",
	"%24gt",
	"a.b",
	"__proto__",
	"constructor",
	"prototype",
	"hasOwnProperty",
	"%F0%9F%98%80",
	"%E2%80%AEtxt.exe",
	"e%CC%81",
	"%ED%A0%80",
	"%C0%AE%C0%AE",
	"%FF",
	"%",
	"%zz",
	"000000000000000000000000",
	"a".repeat(65),
	"a".repeat(3000),
	"*",
	"'",
	"%22",
	"%3Cscript%3E",
	"[object%20Object]",
];

describe("fuzzing every operation of the OpenAPI document", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-fuzz-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let document: Document;
	let operations: FuzzOperation[];
	let bodyLimit: number;
	const tokens: Record<"alice" | "bob" | "admin", string> = { alice: "", bob: "", admin: "" };
	const own: Record<string, string> = {};
	const foreign: Record<string, string> = {};
	const baseline = prototypeBaseline();

	const responses = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
	addFormats(responses);
	// Requests are judged by the document's structure; formats are annotations in JSON Schema 2020-12.
	const requests = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });

	/** Every class each operation was exercised with, and the classes that apply to it. */
	const exercised = new Map<string, Set<MutationClass>>();
	const applicable = new Map<string, Set<MutationClass>>();

	async function call(method: string, url: string, options: { as?: string; body?: unknown } = {}): Promise<Body> {
		const headers: Record<string, string> = {};
		if (options.as) headers.Authorization = `Bearer ${options.as}`;
		let body: Buffer | undefined;
		if (options.body !== undefined) {
			headers["Content-Type"] = "application/json";
			body = Buffer.from(JSON.stringify(options.body));
		}
		const answer = await send(gateway.url, { method: method.toUpperCase(), path: url, headers, body });
		const text = answer.body.toString("utf8");
		if (answer.status >= 400) throw new Error(`${method} ${url} answered ${answer.status}: ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	async function signUp(name: string) {
		const email = `${name}-${Date.now()}@fuzz.example`;
		const user = await call("post", "/api/v1/auth/register", { body: { email, password: PASSWORD, name } });
		return { id: user.id as string, email };
	}
	const signIn = async (email: string) =>
		(await call("post", "/api/v1/auth/login", { body: { email, password: PASSWORD } })).accessToken as string;

	/** A project, a dataset built from the fixture web, its images, job, tasks, an export and an API token. */
	async function objectsOf(token: string, label: string) {
		const project = await call("post", "/api/v1/projects", { as: token, body: { name: `${label} project` } });
		const dataset = await call("post", "/api/v1/datasets", {
			as: token,
			body: {
				name: `${label} dataset`,
				projectId: project.id,
				categories: [
					{ label: "cat", urls: [`${web.url}/img/cat/1.jpg`, `${web.url}/img/cat/2.jpg`] },
					{ label: "dog", urls: [`${web.url}/img/dog/1.jpg`] },
				],
				sources: ["urls"],
				options: { minWidth: 16, minHeight: 16, keywordExpansion: "none" },
			},
		});
		const { jobId } = await call("post", `/api/v1/datasets/${dataset.id}/build`, { as: token });
		await waitUntil(
			async () => ["done", "failed"].includes((await call("get", `/api/v1/jobs/${jobId}`, { as: token })).status),
			30_000,
			"build",
		);
		const images = await call("get", `/api/v1/datasets/${dataset.id}/images`, { as: token });
		const image = images.items.find((item: { status: string }) => item.status === "valid");
		const created = await call("post", `/api/v1/datasets/${dataset.id}/exports`, { as: token, body: { format: "imagefolder" } });
		await waitUntil(async () => (await call("get", `/api/v1/exports/${created.id}`, { as: token })).status === "ready", 30_000, "export");
		const tasks = await call("get", `/api/v1/jobs/${jobId}/tasks`, { as: token });
		const apiToken = await call("post", "/api/v1/tokens", { as: token, body: { name: `${label} token`, scopes: ["datasets:read"] } });
		// subscribed to builds only: the fuzzer starts none, so no delivery runs while it works
		const webhook = await call("post", "/api/v1/webhooks", {
			as: token,
			body: { url: `${web.url}/missing/hook-${label}`, events: ["job.completed"] },
		});
		let notifications: Body = { items: [] };
		await waitUntil(
			async () => {
				notifications = await call("get", "/api/v1/notifications", { as: token });
				return notifications.items.length > 0;
			},
			10_000,
			"a notification",
		);
		return {
			webhooks: webhook.id,
			notifications: notifications.items[0].id,
			projects: project.id,
			datasets: dataset.id,
			images: image.id,
			jobs: jobId,
			tasks: tasks.items[0].id,
			exports: created.id,
			tokens: apiToken.id,
			files: String(image.url).split("/api/v1/files/")[1],
		};
	}

	const stored = () => snapshot(gateway.broker, dataDir, AUDIT_LOGS);

	/** No background work under way (in any repository) and nothing changing: the state a snapshot can be compared in. */
	async function quiescent() {
		const openWork = async () => {
			let open = 0;
			for (const repository of repositoriesOf(gateway.broker)) {
				open += (await repository.adapter.find({ query: { status: { $in: OPEN_WORK } } })).length;
			}
			return open;
		};
		await waitUntil(async () => (await openWork()) === 0, 30_000, "background work");
		let previous = await stored();
		let calm = 0;
		await waitUntil(
			async () => {
				await new Promise((resolve) => setTimeout(resolve, 40));
				const next = await stored();
				calm = differences(previous, next).length === 0 ? calm + 1 : 0;
				previous = next;
				return calm >= 3;
			},
			30_000,
			"stored state to settle",
		);
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 4 });
		gateway = await startPlatform({
			env: {
				PIXCRAWLER_DATA_DIR: dataDir,
				PIXCRAWLER_DB_IN_MEMORY: "false",
				RATE_LIMIT_DEFAULT: "1000000",
				RATE_LIMIT_AUTH: "1000000",
				RATE_LIMIT_EXPENSIVE: "1000000",
				// a webhook delivery is one quick attempt: none is left waiting to retry while the fuzzer compares stored state
				PIXCRAWLER_WEBHOOK_MAX_ATTEMPTS: "1",
				PIXCRAWLER_WEBHOOK_TIMEOUT_MS: "500",
				...web.env(),
			},
			waitFor: ["auth.register", "dataset.createExport", "crawl.getJob", "storage.usage", "api.openapi"],
		});
		bodyLimit = limitBytes(gateway.config.gateway.bodyLimit);
		document = await call("get", "/api/v1/openapi.json");
		for (const [name, schema] of Object.entries(document.components.schemas)) {
			responses.addSchema({ ...withAbsoluteRefs(schema), $id: `${SCHEMA_BASE}${name}` });
		}

		const alice = await signUp("alice");
		const bob = await signUp("bob");
		const admin = await signUp("admin");
		const carol = await signUp("carol");
		await (
			gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(admin.id, { role: "superuser" });
		[tokens.alice, tokens.bob, tokens.admin] = await Promise.all([signIn(alice.email), signIn(bob.email), signIn(admin.email)]);
		const [mine, theirs] = await Promise.all([objectsOf(tokens.alice, "alice"), objectsOf(tokens.bob, "bob")]);
		Object.assign(own, mine, { users: carol.id, assets: "swagger-ui.css" });
		Object.assign(foreign, theirs);
		// tasks and files are not reached through their owner (superuser routes, signed links): no foreign ids
		for (const kind of ["tasks", "files"]) delete foreign[kind];
		operations = operationsOf(document);
		await quiescent();
	});

	afterAll(async () => {
		closeConnections();
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	/** The segment naming what an id is: `datasets` for /datasets/{id}, `images` for /images/{imageId}. */
	const kindOf = (op: FuzzOperation, param: string) => {
		const segments = op.template.split("/");
		return segments[segments.indexOf(`{${param}}`) - 1];
	};
	const ids: IdSource = {
		own: (op, param) => own[kindOf(op, param)],
		// superusers see every user's objects: nothing is foreign to them
		foreign: (op, param) => (op.auth === "user" ? foreign[kindOf(op, param)] : undefined),
	};
	const hostileIds = fc.oneof(
		{ arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS), weight: 3 },
		{ arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 24 }).map(percentEncode), weight: 1 },
		{
			// an own id with characters added: a prefix match or a truncation would find the object
			arbitrary: fc
				.tuple(
					fc.constantFrom("projects", "datasets", "images", "jobs", "exports", "tokens", "users"),
					fc.constantFrom("%00", "x", "%20", "%2F..", "%3F", "%23"),
				)
				.map(([kind, suffix]) => `${own[kind]}${suffix}`),
			weight: 1,
		},
	);

	function tokenFor(op: FuzzOperation): string | undefined {
		if (op.auth === "superuser") return tokens.admin;
		if (op.auth === "user") return tokens.alice;
		return undefined;
	}

	function render(op: FuzzOperation, fuzzCase: FuzzCase) {
		const pathname = op.template.replace(/\{(\w+)\}/g, (_all, name: string) => fuzzCase.pathParams[name]);
		const query = encodeQuery(fuzzCase.query);
		const headers: Record<string, string> = {};
		const token = tokenFor(op);
		if (token) headers.Authorization = `Bearer ${token}`;
		let bodyText: string | undefined;
		if (fuzzCase.body !== undefined) {
			bodyText = toJsonText(fuzzCase.body);
			headers["Content-Type"] = "application/json";
		}
		return { method: op.method.toUpperCase(), path: query ? `${pathname}?${query}` : pathname, headers, bodyText };
	}

	/** The request as the server reads it: body parsed, query parsed as qs does, path segments decoded. */
	function serverView(rendered: ReturnType<typeof render>, fuzzCase: FuzzCase) {
		const queryText = rendered.path.includes("?") ? rendered.path.slice(rendered.path.indexOf("?") + 1) : "";
		const decoded: Record<string, string | undefined> = {};
		for (const [name, raw] of Object.entries(fuzzCase.pathParams)) {
			try {
				decoded[name] = decodeURIComponent(raw);
			} catch {
				decoded[name] = undefined;
			}
		}
		let body: unknown;
		try {
			body = rendered.bodyText === undefined ? undefined : JSON.parse(rendered.bodyText);
		} catch {
			body = undefined;
		}
		return { body, query: qs.parse(queryText) as Record<string, unknown>, path: decoded };
	}

	/** The document's request schemas of each operation, compiled once. */
	const judges = new Map<string, { body?: ValidateFunction; query: ValidateFunction; path: Map<string, ValidateFunction> }>();
	function judgeOf(op: FuzzOperation) {
		let judge = judges.get(op.id);
		if (!judge) {
			judge = {
				body: op.body ? requests.compile(op.body.schema) : undefined,
				// the document lists the query parameters it reads; others are ignored, not refused
				query: requests.compile({ ...op.query, additionalProperties: true }),
				path: new Map(op.pathParams.map((param) => [param.name, requests.compile(param.schema)])),
			};
			judges.set(op.id, judge);
		}
		return judge;
	}

	/** Where the request breaks the document, as field names (empty: the document allows it). */
	function documentViolations(op: FuzzOperation, view: ReturnType<typeof serverView>): string[] {
		const judge = judgeOf(op);
		const names: string[] = [];
		const collect = (errors: ErrorObject[] | null | undefined) => {
			for (const error of errors ?? []) {
				const parts: (string | number)[] = error.instancePath
					.split("/")
					.slice(1)
					.map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
					.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
				const extra = (error.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
				if (extra.missingProperty !== undefined) parts.push(extra.missingProperty);
				if (extra.additionalProperty !== undefined) parts.push(extra.additionalProperty);
				names.push(fieldName(parts));
			}
		};
		if (judge.body && view.body !== undefined) {
			judge.body(view.body);
			collect(judge.body.errors);
		}
		judge.query(coerceQuery(view.query, op.query));
		collect(judge.query.errors);
		for (const [name, validate] of judge.path) {
			const value = view.path[name];
			if (value === undefined || !validate(value)) names.push(name);
		}
		return names;
	}

	function responseFor(op: FuzzOperation, status: number): DocumentResponse | undefined {
		const documented = document.paths[op.template][op.method].responses[String(status)];
		if (!documented?.$ref) return documented;
		return document.components.responses[documented.$ref.split("/").at(-1) as string];
	}

	function describeExchange(rendered: ReturnType<typeof render>, answer?: RawAnswer): string {
		const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
		const lines = [`${rendered.method} ${clip(rendered.path, 300)}`];
		if (rendered.bodyText !== undefined) lines.push(`body: ${clip(rendered.bodyText, 400)}`);
		if (answer) lines.push(`answer: ${answer.status} ${answer.headers["content-type"] ?? ""} ${clip(answer.body.toString("utf8"), 600)}`);
		return lines.join("\n");
	}

	/** Sends one case and checks everything the suite promises about its answer. */
	async function exercise(op: FuzzOperation, fuzzCase: FuzzCase): Promise<void> {
		const rendered = render(op, fuzzCase);
		const view = serverView(rendered, fuzzCase);
		const violations = documentViolations(op, view);
		const targetViolated = fuzzCase.targets.some((target) => violations.some((name) => related(name, target)));
		const mustReject = fuzzCase.mutation !== "valid" && fuzzCase.mutation !== "unicode" && targetViolated;

		const before = await stored();
		let answer: RawAnswer;
		try {
			answer = await send(gateway.url, {
				method: rendered.method,
				path: rendered.path,
				headers: rendered.headers,
				body: rendered.bodyText === undefined ? undefined : Buffer.from(rendered.bodyText, "utf8"),
			});
		} catch (error) {
			throw new Error(`${(error as Error).message}\n${describeExchange(rendered)}`);
		}
		exercised.get(op.id)?.add(fuzzCase.mutation);
		const fail = (message: string) => {
			throw new Error(`${message}\n${describeExchange(rendered, answer)}`);
		};

		if (answer.status >= 500) fail("a server error");
		if (answer.durationMs > SLOW_MS) fail(`the answer took ${Math.round(answer.durationMs)} ms`);
		const documented = responseFor(op, answer.status);
		if (!documented) fail(`status ${answer.status} is not documented for ${op.id}`);
		const type = String(answer.headers["content-type"] ?? "")
			.split(";")[0]
			.trim();

		if (answer.status >= 400) {
			if (type !== "application/problem+json") fail("an error answer that is not problem+json");
			const problem = JSON.parse(answer.body.toString("utf8"));
			const validate = responses.getSchema(`${SCHEMA_BASE}Problem`) as ValidateFunction;
			if (!validate(problem)) fail(`a problem that breaks the Problem schema: ${responses.errorsText(validate.errors)}`);
			if (problem.status !== answer.status) fail("the problem's status is not the answer's");
			if (answer.status === 422) checkNamedFields(op, fuzzCase, view, problem, mustReject ? violations : [], fail);
			if (answer.status === 400 && rendered.bodyText !== undefined && view.body !== undefined) {
				fail("a 400 for a body that is valid JSON");
			}
			const after = await stored();
			const written = differences(before, after);
			if (written.length > 0) fail(`a refused request changed stored data:\n  ${written.join("\n  ")}`);
		} else {
			if (mustReject) fail(`accepted a request the document forbids (${violations.join(", ")})`);
			if (fuzzCase.mutation === "foreign-id") fail("another user's object was reachable");
			if (fuzzCase.hostileParams.length > 0)
				fail(`answered through ${fuzzCase.hostileParams.join(", ")}, which name no object of the caller`);
			const media = (documented as DocumentResponse).content;
			if (!media) {
				if (answer.body.length > 0) fail("a body on a documented empty answer");
			} else {
				if (!(type in media)) fail(`content type ${type} is not documented (${Object.keys(media).join(", ")})`);
				const schema = media[type]?.schema;
				if (type === "application/json" && schema) {
					const validate = validatorFor(schema);
					if (!validate(JSON.parse(answer.body.toString("utf8"))))
						fail(`an answer that breaks its schema: ${responses.errorsText(validate.errors)}`);
				}
			}
			if (op.method !== "get") await quiescent();
		}
		if (fuzzCase.mutation === "foreign-id" && ![404, 422].includes(answer.status)) fail("another user's object answered other than 404");
		const polluted = pollution(baseline);
		if (polluted.length > 0) fail(`prototype pollution: ${polluted.join("; ")}`);
	}

	/** A 422 names fields, each one the request has or the document lists, and one the document finds invalid when the mutation broke it. */
	function checkNamedFields(
		op: FuzzOperation,
		fuzzCase: FuzzCase,
		view: ReturnType<typeof serverView>,
		problem: Body,
		violations: string[],
		fail: (message: string) => never,
	) {
		const errors = (problem.errors ?? []) as { field: string; message: string }[];
		if (errors.length === 0) fail("a 422 without errors[]");
		const known = new Set<string>([
			...[view.body, view.query].flatMap((value) => pathsOf(value, [], 40).map((parts) => normalizedField(fieldName(parts)))),
			...op.pathParams.map((param) => param.name),
			...(op.body ? documentedFields(op.body.schema) : []),
			...documentedFields(op.query),
			...fuzzCase.targets.map(normalizedField),
		]);
		const unknown = errors.filter((error) => !known.has(normalizedField(error.field)));
		if (unknown.length > 0)
			fail(`a 422 naming fields the request does not have: ${unknown.map((error) => JSON.stringify(error.field)).join(", ")}`);
		// the mutated field, or another one the document finds invalid (a hostile path segment is refused first)
		if (violations.length > 0 && !errors.some((error) => violations.some((name) => related(error.field, name)))) {
			fail(`a 422 that names none of the invalid fields ${violations.join(", ")}`);
		}
	}

	const inlineValidators = new Map<string, ValidateFunction>();
	function validatorFor(schema: Schema): ValidateFunction {
		const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
		if (ref?.startsWith("#/components/schemas/")) return responses.getSchema(`${SCHEMA_BASE}${ref.split("/").at(-1)}`) as ValidateFunction;
		const key = JSON.stringify(schema);
		const known = inlineValidators.get(key);
		if (known) return known;
		const validate = responses.compile(withAbsoluteRefs(schema));
		inlineValidators.set(key, validate);
		return validate;
	}

	it("exercises every operation of the live document with every mutation class that applies to it", async () => {
		const context = (op: FuzzOperation): CaseContext => ({ op, ids, sizes: { bodyLimit }, hostileIds });
		const failures: string[] = [];
		for (const op of operations) {
			exercised.set(op.id, new Set());
			applicable.set(op.id, new Set());
			for (const mutation of MUTATION_CLASSES) {
				const cases = caseArbitrary(mutation, context(op));
				if (!cases) continue;
				applicable.get(op.id)?.add(mutation);
				const seed = seedOf(op.id, mutation);
				await fc.assert(
					fc.asyncProperty(cases, (fuzzCase) => exercise(op, fuzzCase)),
					{
						seed,
						numRuns: RUNS,
						endOnFailure: !SHRINK,
						asyncReporter: async (details) => {
							if (!details.failed) return;
							const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
							failures.push(
								`${op.id} [${mutation}] (FUZZ_SEED=${SEED}; fast-check seed ${details.seed}, path ${details.counterexamplePath}):\n${error}`,
							);
							// a failure leaves a refused request's writes or a running build behind: settle before going on
							await quiescent().catch(() => undefined);
						},
					},
				);
			}
		}
		expect(failures).toEqual([]);
	});

	it("exercised every operation the document lists, with every class that applies", () => {
		const documented = Object.entries(document.paths).flatMap(([template, methods]) =>
			Object.keys(methods).map((method) => `${method.toUpperCase()} ${template}`),
		);
		expect(documented.length).toBeGreaterThan(40);
		const missed = documented.filter((id) => (exercised.get(id)?.size ?? 0) === 0);
		expect(missed).toEqual([]);
		const partly = [...applicable].flatMap(([id, classes]) =>
			[...classes].filter((mutation) => !exercised.get(id)?.has(mutation)).map((mutation) => `${id} [${mutation}]`),
		);
		expect(partly).toEqual([]);
		const everywhere = new Set([...exercised.values()].flatMap((classes) => [...classes]));
		expect([...MUTATION_CLASSES].filter((mutation) => !everywhere.has(mutation))).toEqual([]);
	});

	it("had the caller's own ids for every route that reaches its body with them, and another user's for every owner-scoped one", () => {
		const lacking = operations.flatMap((op) => [
			...(op.realIdsSafe
				? op.pathParams.filter((param) => !ids.own(op, param.name)).map((param) => `no own id for {${param.name}} of ${op.id}`)
				: []),
			...(op.auth === "user" && op.pathParams.length > 0 && op.pathParams.every((param) => !ids.foreign(op, param.name))
				? [`no other user's id for ${op.id}`]
				: []),
		]);
		// a route for a new kind of object needs one in the fixture (objectsOf): add it there
		expect(lacking).toEqual([]);
	});

	describe("the defects fuzzing found stay fixed", () => {
		async function raw(method: string, url: string, options: { as?: string; body?: string } = {}) {
			const headers: Record<string, string> = {};
			if (options.as) headers.Authorization = `Bearer ${options.as}`;
			if (options.body !== undefined) headers["Content-Type"] = "application/json";
			const answer = await send(gateway.url, {
				method,
				path: url,
				headers,
				body: options.body === undefined ? undefined : Buffer.from(options.body),
			});
			const text = answer.body.toString("utf8");
			return { ...answer, json: text ? JSON.parse(text) : undefined };
		}
		const fields = (problem: Body) => (problem.errors as { field: string }[]).map((error) => error.field);

		it("an address of a few hundred kB is refused at once (the email rule's pattern took 20 s on 200 kB, blocking every request)", async () => {
			const res = await raw("POST", "/api/v1/auth/login", { body: JSON.stringify({ email: `x${"@".repeat(200_000)}x`, password: "p" }) });
			expect([res.status, [...new Set(fields(res.json))]]).toEqual([422, ["email"]]);
			expect(res.durationMs).toBeLessThan(1000);
		});

		it("a field nested thousands of levels deep is an invalid field, not a 500 (the validator's message overflowed the stack)", async () => {
			const before = await stored();
			const res = await raw("POST", "/api/v1/projects", { as: tokens.alice, body: `{"name":${"[".repeat(5000)}1${"]".repeat(5000)}}` });
			expect([res.status, fields(res.json)]).toEqual([422, ["name"]]);
			expect(differences(before, await stored())).toEqual([]);
		});

		it("null for an optional field that is not nullable is refused, not stored", async () => {
			const before = await stored();
			const cases: [string, string, string, object][] = [
				["PATCH", `/api/v1/projects/${own.projects}`, tokens.alice, { name: null }],
				["PATCH", `/api/v1/users/${own.users}`, tokens.admin, { role: null }],
				["PATCH", `/api/v1/datasets/${own.datasets}`, tokens.alice, { categories: null }],
				[
					"POST",
					"/api/v1/datasets",
					tokens.alice,
					{ name: "n", categories: [{ label: "a", keywords: ["a"] }], sources: ["wikimedia"], options: { maxImagesPerKeyword: null } },
				],
			];
			for (const [method, url, token, body] of cases) {
				const res = await raw(method, url, { as: token, body: JSON.stringify(body) });
				expect([url, res.status]).toEqual([url, 422]);
			}
			expect(differences(before, await stored())).toEqual([]);
			// the dataset still answers its metadata (a null categories made it a 500)
			expect((await raw("GET", `/api/v1/datasets/${own.datasets}/metadata`, { as: tokens.alice })).status).toBe(200);
			// a nullable field still takes null
			const detached = await raw("PATCH", `/api/v1/datasets/${own.datasets}`, {
				as: tokens.alice,
				body: JSON.stringify({ projectId: null }),
			});
			expect([detached.status, detached.json.projectId]).toEqual([200, null]);
		});

		it("a top-level __proto__ key is an unknown field (moleculer-web's merge made it the parameters' prototype, past the strict check)", async () => {
			const before = await stored();
			const res = await raw("POST", "/api/v1/projects", { as: tokens.alice, body: '{"__proto__":{"name":"smuggled"}}' });
			expect([res.status, fields(res.json)]).toEqual([422, ["__proto__"]]);
			expect(differences(before, await stored())).toEqual([]);
			expect(pollution(baseline)).toEqual([]);
		});

		it("a path segment that is not valid percent-encoding names its parameter (a bare, undocumented 400 before)", async () => {
			const res = await raw("GET", "/api/v1/datasets/%FF", { as: tokens.alice });
			expect([res.status, fields(res.json)]).toEqual([422, ["id"]]);
			const nested = await raw("DELETE", `/api/v1/datasets/${own.datasets}/images/%zz`, { as: tokens.alice });
			expect([nested.status, fields(nested.json)]).toEqual([422, ["imageId"]]);
		});

		it("an unknown key holding a comma and a space is named as sent (it was split in two)", async () => {
			const res = await raw("PATCH", `/api/v1/projects/${own.projects}`, { as: tokens.alice, body: JSON.stringify({ "a, b": 1, c: 2 }) });
			expect([res.status, fields(res.json).sort()]).toEqual([422, ["a, b", "c"]]);
		});

		it("a user whose address is no RFC 5321 address (but one sign-up accepts) answers as the document says", async () => {
			const res = await raw("POST", "/api/v1/auth/register", {
				body: JSON.stringify({ email: `!#$%<${Date.now()}@x.y{z`, password: PASSWORD, name: "odd" }),
			});
			expect(res.status).toBe(201);
			const validate = responses.getSchema(`${SCHEMA_BASE}User`) as ValidateFunction;
			expect([validate(res.json), validate.errors ?? null]).toEqual([true, null]);
		});
	});

	describe("the checks are not vacuous", () => {
		it("a write to any repository or file shows in the stored state", async () => {
			const before = await stored();
			const projects = gateway.broker.getLocalService("dataset-projects") as unknown as {
				adapter: { insert(doc: object): Promise<unknown> };
			};
			await projects.adapter.insert({ ownerId: "nobody", name: "written behind the fuzzer's back" });
			const after = await stored();
			expect(differences(before, after).join("\n")).toMatch(/^dataset-projects: \d+ -> \d+ documents/m);
			expect(differences(before, after).join("\n")).toMatch(/projects\.db: \d+ -> \d+ bytes/);
		});

		it("a key added to a shared prototype is reported", () => {
			const prototype = Object.prototype as Record<string, unknown>;
			prototype.polluted = "yes";
			try {
				expect(pollution(baseline)).toEqual(["Object.prototype gained polluted", "({}).polluted is yes"]);
			} finally {
				delete prototype.polluted;
			}
			expect(pollution(baseline)).toEqual([]);
		});

		it("a 422 naming a field the request does not have, or none of the invalid ones, fails the case", () => {
			const op = operations.find((candidate) => candidate.id === "POST /api/v1/projects") as FuzzOperation;
			const fuzzCase: FuzzCase = {
				mutation: "extra-field",
				targets: ["extra"],
				pathParams: {},
				hostileParams: [],
				query: {},
				body: { name: "n", extra: 1 },
			};
			const view = { body: fuzzCase.body, query: {}, path: {} };
			const fail = (message: string): never => {
				throw new Error(message);
			};
			const problem = (field: string) => ({ errors: [{ field, message: "m" }] });
			expect(() => checkNamedFields(op, fuzzCase, view, problem("ghost"), ["extra"], fail)).toThrow(/does not have: "ghost"/);
			expect(() => checkNamedFields(op, fuzzCase, view, problem("name"), ["extra"], fail)).toThrow(
				/names none of the invalid fields extra/,
			);
			expect(() => checkNamedFields(op, fuzzCase, view, problem("extra"), ["extra"], fail)).not.toThrow();
		});
	});
});

/** The operations of the document, with what the fuzzer needs to build requests for them. */
function operationsOf(document: Document): FuzzOperation[] {
	return Object.entries(document.paths).flatMap(([template, methods]) =>
		Object.entries(methods).map(([method, operation]): FuzzOperation => {
			const parameters = operation.parameters ?? [];
			const queryParameters = parameters.filter((parameter) => parameter.in === "query");
			const media = operation.requestBody?.content["application/json"];
			const takesBody = BODY_METHODS.has(method);
			return {
				id: `${method.toUpperCase()} ${template}`,
				method,
				template,
				auth: operation["x-auth"],
				pathParams: parameters.filter((parameter) => parameter.in === "path").map(({ name, schema }) => ({ name, schema })),
				query: {
					type: "object",
					properties: Object.fromEntries(queryParameters.map((parameter) => [parameter.name, parameter.schema])),
					required: queryParameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
				},
				queryExample: Object.fromEntries(
					queryParameters
						.filter((parameter) => parameter.example !== undefined)
						.map((parameter) => [parameter.name, parameter.example as Json]),
				),
				body: media ? { schema: media.schema, required: operation.requestBody?.required ?? false, example: media.example } : undefined,
				takesBody,
				realIdsSafe: method === "get" || (takesBody && media !== undefined),
			};
		}),
	);
}

/** Query values are text: numbers, booleans and dates are read as the platform converts them (Number(), true/1/on, new Date()). */
function coerceQuery(query: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
	const out: Record<string, unknown> = { ...query };
	for (const [name, property] of Object.entries((schema.properties as Record<string, JsonSchema>) ?? {})) {
		if (!(name in out)) continue;
		const types = typesOf(effective(property));
		const value = out[name];
		if (types.has("number") && typeof value !== "number") {
			const converted = Number(value);
			if (Number.isFinite(converted)) out[name] = converted;
		} else if (effective(property).format === "date-time" && value !== undefined) {
			const date = new Date(value as string);
			if (!Number.isNaN(date.getTime())) out[name] = date.toISOString();
		} else if (types.has("boolean") && typeof value !== "boolean") {
			if (["true", "1", "on"].includes(value as string)) out[name] = true;
			if (["false", "0", "off"].includes(value as string)) out[name] = false;
		}
	}
	return out;
}

/** One fast-check seed per operation and class, derived from the run's seed (a new route shifts no other). */
function seedOf(operation: string, mutation: string): number {
	let hash = SEED | 0;
	for (const char of `${operation} ${mutation}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
	return hash;
}

/** The document's refs (`#/components/schemas/X`) as absolute ids ajv resolves among the added schemas. */
function withAbsoluteRefs(schema: Schema): Schema {
	return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${SCHEMA_BASE}`));
}
