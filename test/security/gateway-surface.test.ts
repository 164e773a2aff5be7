import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Middleware, ServiceBroker } from "moleculer";
import { type Config, ConfigError } from "../../lib/config";
import { projectRoot } from "../../lib/project";
import { brokerOptions } from "../../moleculer.config";
import { createApiService } from "../../services/api.service";
import { createAuthService } from "../../services/auth.service";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../support/dataset-images";
import { type RunningGateway, startGateway, testConfig, waitForAliases, waitUntil } from "../support/gateway";
import { FAULT_PATH, FAULT_SECRET, FAULTS, faultsService } from "./support/surface-faults.service";
import { closeConnections, inBatches, type RawRequest, type RawResponse, rawRequest } from "./support/surface-http";

/**
 * The gateway's surface, driven from its live route table and OpenAPI document: internal and raw action
 * paths answer 404 under every prefix and method without reaching an action; the route table and the
 * document list the same routes; every kind of answer carries the security headers; CORS reflects only
 * listed origins and never pairs `*` with credentials; error answers carry no stack, path, driver text
 * or secret.
 */

jest.setTimeout(60000);

const ALLOWED_ORIGIN = "https://app.pixcrawler.test";
const PASSWORD = "correct horse battery staple";
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = "max-age=31536000; includeSubDomains";
/** Shaped like a stored id, and nobody's. */
const NONEXISTENT = "zz00nonexistent0";

interface Alias {
	method: string;
	fullPath: string;
	action?: string;
}
interface GatewayInternals {
	aliases: Alias[];
}
interface Account {
	id: string;
	jwt: string;
}
interface OpenApiDocument {
	paths: Record<string, Record<string, unknown>>;
}

/** An OpenAPI path template as a case-sensitive matcher of request paths (one optional trailing slash, as the router allows). */
function templateMatcher(template: string): RegExp {
	const pattern = template
		.split(/(\{[^}]+\})/)
		.map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
		.join("");
	return new RegExp(`^${pattern}/?$`);
}

const toOpenApiPath = (fullPath: string) => fullPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

/** A small distinct JPEG-looking file (the store sniffs the type from the first bytes). */
const jpeg = (seed: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`surface ${seed} `.repeat(40))]);

/** Stack frames, file-system paths, driver text: what a server-side error must never show a client. */
function leaksIn(text: string, extra: string[] = []): string[] {
	const patterns: [string, RegExp][] = [
		["stack frame", /\n\s*at\s/],
		["stack frame", /\bat\s+[^\s()]+\s+\([^)]*\)/],
		["stack frame", /\bat\s+(?:\/|node:|file:)/],
		["source position", /\.ts:\d|\.js:\d|\.ts:|\.js:/],
		["file-system path", /\/work\b|\/tmp\b|node_modules|\/home\/|\/var\/|\/usr\//],
		[
			"driver text",
			/MongoServerError|MongoNetworkError|E11000|\bnedb\b|uniqueViolated|unique constraint|mongodb:\/\/|redis:\/\/|nats:\/\//i,
		],
		["system error", /ECONNREFUSED|EACCES|ENOENT|\berrno\b|\bsyscall\b/],
	];
	const found = patterns.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
	for (const value of [...extra, os.tmpdir(), projectRoot])
		if (value && text.includes(value)) found.push(`secret or path ${value.slice(0, 12)}…`);
	return found;
}

/** Header names and values as one text, for leak checks. */
const headerText = (res: RawResponse) =>
	Object.entries(res.headers)
		.filter(([name]) => name !== "date")
		.map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`)
		.join("\n");

describe("the gateway's surface", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-surface-"));
	const env = {
		PIXCRAWLER_DATA_DIR: dataDir,
		CORS_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:5173`,
		CORS_CREDENTIALS: "true",
		GATEWAY_REQUEST_TIMEOUT_MS: "1500",
		// readiness names a service no node runs: /health/ready answers 503
		GATEWAY_READINESS_SERVICES: "ghost-service",
		RATE_LIMIT_AUTH: "1000",
		RATE_LIMIT_EXPENSIVE: "2",
	};
	/** Every action call the broker ran, with the request id it ran under. */
	const reached: { action: string; requestId: string }[] = [];
	const spy: Middleware = {
		name: "SurfaceSpy",
		localAction(next: (ctx: unknown) => unknown, action: { name: string }) {
			return (ctx: { requestID?: string }) => {
				if (action.name !== "api.rest") reached.push({ action: action.name, requestId: String(ctx.requestID) });
				return next(ctx);
			};
		},
	} as unknown as Middleware;

	let gateway: RunningGateway;
	let config: Config;
	let document: OpenApiDocument;
	let alice: Account;
	let bob: Account;
	let admin: Account;
	let aliceToken: string;
	let datasetId: string;
	let projectId: string;
	let exportId: string;
	let exportEtag: string;
	let imageUrl: string;
	let missingImageUrl: string;

	const call = (request: RawRequest) => rawRequest(gateway.url, request);
	const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
	const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

	async function signUp(name: string, role: "user" | "superuser" = "user"): Promise<Account> {
		const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
		let id: string;
		if (role === "superuser") {
			id = String(
				(await gateway.broker.call<{ id: string }, unknown>("auth.adminCreateUser", { email, password: PASSWORD, name, role })).id,
			);
		} else {
			const created = await call({ method: "POST", path: "/api/v1/auth/register", ...json({ email, password: PASSWORD, name }) });
			expect(created.status).toBe(201);
			id = JSON.parse(created.body).id;
		}
		const login = await call({ method: "POST", path: "/api/v1/auth/login", ...json({ email, password: PASSWORD }) });
		expect(login.status).toBe(200);
		return { id, jwt: JSON.parse(login.body).accessToken };
	}

	beforeAll(async () => {
		config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [
				createAuthService(config),
				createStorageService(config),
				createDatasetService(config),
				createCrawlService(config),
				createCrawlWorkerService(config),
				faultsService,
			],
			broker: { middlewares: [...(brokerOptions(config).middlewares ?? []), spy] },
			waitFor: [
				"auth.login",
				"dataset.createExport",
				"dataset.downloadExport",
				"storage.download",
				"crawl.build",
				"api.datasetEvents",
				"faults.raise",
				"faults.slow",
				"faults.unavailable",
			],
		});
		document = JSON.parse((await call({ path: "/api/v1/openapi.json" })).body);
		[alice, bob, admin] = await Promise.all([signUp("alice"), signUp("bob"), signUp("admin", "superuser")]);
		const owned = { "Content-Type": "application/json", ...bearer(alice.jwt) };
		const token = await call({
			method: "POST",
			path: "/api/v1/tokens",
			headers: owned,
			body: JSON.stringify({ name: "read only", scopes: ["datasets:read"] }),
		});
		aliceToken = JSON.parse(token.body).token;
		projectId = JSON.parse(
			(await call({ method: "POST", path: "/api/v1/projects", body: JSON.stringify({ name: "to delete" }), headers: owned })).body,
		).id;
		const dataset = await call({
			method: "POST",
			path: "/api/v1/datasets",
			headers: owned,
			body: JSON.stringify({ name: "surface", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] }),
		});
		datasetId = JSON.parse(dataset.body).id;
		for (const seed of ["one", "two", "three"]) await addStoredImage(gateway.broker, alice.id, datasetId, jpeg(seed));
		const missing = await addStoredImage(gateway.broker, alice.id, datasetId, jpeg("missing"));
		const created = await call({
			method: "POST",
			path: `/api/v1/datasets/${datasetId}/exports`,
			headers: owned,
			body: JSON.stringify({ format: "imagefolder" }),
		});
		exportId = JSON.parse(created.body).id;
		await waitUntil(
			async () => JSON.parse((await call({ path: `/api/v1/exports/${exportId}`, headers: owned })).body).status === "ready",
			20000,
			"the export",
		);
		exportEtag = `"${JSON.parse((await call({ path: `/api/v1/exports/${exportId}`, headers: owned })).body).sha256}"`;
		const images = JSON.parse((await call({ path: `/api/v1/datasets/${datasetId}/images?pageSize=100`, headers: owned })).body).items as {
			url: string;
			sha256: string;
		}[];
		imageUrl = String(images.find((image) => image.sha256 !== missing.sha256)?.url);
		missingImageUrl = String(images.find((image) => image.sha256 === missing.sha256)?.url);
		expect([imageUrl, missingImageUrl]).toEqual([
			expect.stringMatching(/^\/api\/v1\/files\//),
			expect.stringMatching(/^\/api\/v1\/files\//),
		]);
		// the file behind one image vanishes from the store (a disk problem): its link must not say where it was
		fs.rmSync(path.join(dataDir, "storage", missing.storageKey));
	});
	afterAll(async () => {
		closeConnections();
		await gateway?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	describe("internal and raw action paths", () => {
		const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
		/** Where a raw path could be tried: every prefix a router might strip or normalise, and their look-alikes. */
		const PREFIXES = ["", "/api", "/api/v1", "/api/v2", "//api/v1", "/api//v1", "/api/v1/", "/api%2Fv1", "/API/V1", "/Api/v1", "/api/V1"];

		interface Probe {
			method: string;
			path: string;
		}

		function probesFor(services: { name: string; actions: Record<string, { rawName: string }> }[]): Probe[] {
			const probes: Probe[] = [];
			for (const service of services) {
				for (const action of Object.values(service.actions)) {
					const names = service.name.startsWith("$") ? [service.name, `~${service.name.slice(1)}`] : [service.name];
					const forms = names.flatMap((name) => [
						`${name}/${action.rawName}`,
						`${name}.${action.rawName}`,
						`${name}%2F${action.rawName}`,
						`${name}/${action.rawName}/`,
						`${name.toUpperCase()}/${action.rawName.toUpperCase()}`,
					]);
					let turn = 0;
					for (const prefix of PREFIXES) {
						for (const form of forms) probes.push({ method: METHODS[turn++ % METHODS.length], path: `${prefix}/${form}` });
					}
					// the three canonical forms with every method
					for (const form of [
						`/api/v1/${names[0]}/${action.rawName}`,
						`/api/v1/${names[0]}.${action.rawName}`,
						`/${names[0]}/${action.rawName}`,
					]) {
						for (const method of METHODS) probes.push({ method, path: form });
					}
				}
			}
			return probes;
		}

		it("answer 404 problem+json with the security headers under every prefix and method, and reach no action", async () => {
			const registered = gateway.broker.registry.getServiceList({ withActions: true }) as unknown as {
				name: string;
				actions: Record<string, { rawName: string }>;
			}[];
			// private actions (the gateway's own `api.rest`) are not in the registry: the local services name them
			const local = (gateway.broker as unknown as { services: { fullName: string; actions: Record<string, unknown> }[] }).services;
			const services = registered.map((service) => {
				const actions: Record<string, { rawName: string }> = { ...service.actions };
				for (const rawName of Object.keys(local.find((own) => own.fullName === service.name)?.actions ?? {})) {
					actions[`${service.name}.${rawName}`] ??= { rawName };
				}
				return { name: service.name, actions };
			});
			const actionNames = services.flatMap((service) => Object.keys(service.actions));
			// the sweep covers protected repository CRUD, bus-only and private actions, not only published ones
			expect(actionNames).toEqual(
				expect.arrayContaining([
					"dataset.find",
					"auth.list",
					"auth.find",
					"auth.resolveApiToken",
					"auth.adminCreateUser",
					"api.rest",
					"api.addRoute",
					"$node.list",
					"dataset-images.find",
					"auth-api-tokens.find",
				]),
			);
			const declared = Object.entries(document.paths).flatMap(([template, operations]) =>
				Object.keys(operations).map((method) => ({ method: method.toUpperCase(), matcher: templateMatcher(template) })),
			);
			const isDeclaredRoute = (probe: Probe) => declared.some((route) => route.method === probe.method && route.matcher.test(probe.path));
			const probes = probesFor(services).filter((probe) => !isDeclaredRoute(probe));
			expect(probes.length).toBeGreaterThan(5000);

			const runId = randomUUID().slice(0, 8);
			const failures: string[] = [];
			await inBatches(probes, 12, async (probe, index) => {
				const requestId = `surface-probe-${runId}-${index}`;
				const headers: Record<string, string> = { "X-Request-ID": requestId };
				const withBody = ["POST", "PUT", "PATCH"].includes(probe.method);
				if (withBody) headers["Content-Type"] = "application/json";
				const res = await call({ method: probe.method, path: probe.path, headers, body: withBody ? "{}" : undefined });
				const problems: string[] = [];
				if (res.status !== 404) problems.push(`status ${res.status}`);
				if (!String(res.headers["content-type"]).startsWith("application/problem+json"))
					problems.push(`type ${res.headers["content-type"]}`);
				if (probe.method !== "HEAD" && JSON.parse(res.body || "{}").detail !== "No such route")
					problems.push(`body ${res.body.slice(0, 80)}`);
				if (res.headers["x-content-type-options"] !== "nosniff" || res.headers["cache-control"] !== "no-store") problems.push("headers");
				if (problems.length > 0) failures.push(`${probe.method} ${probe.path}: ${problems.join(", ")}`);
			});
			expect(failures).toEqual([]);
			const touched = reached.filter((entry) => entry.requestId.startsWith(`surface-probe-${runId}-`));
			expect(touched).toEqual([]);
		});

		it("the spy sees what a declared route reaches (the sweep's silence means something)", async () => {
			const requestId = `surface-control-${randomUUID().slice(0, 8)}`;
			expect((await call({ path: "/api/v1/health", headers: { "X-Request-ID": requestId } })).status).toBe(200);
			expect(reached.filter((entry) => entry.requestId === requestId).map((entry) => entry.action)).toEqual(["api.health"]);
		});

		it("declared routes are case-sensitive and answer only their own method", async () => {
			for (const [method, target] of [
				["GET", "/API/V1/health"],
				["GET", "/Api/v1/health"],
				["GET", "/METRICS"],
				["GET", "/Health/Ready"],
				["GET", "/DOCS"],
				["GET", "/api/v1/OPENAPI.JSON"],
				["OPTIONS", "/api/v1/health"],
				["OPTIONS", "/metrics"],
				["HEAD", "/health"],
				["DELETE", "/api/v1/health"],
				["PUT", "/api/v1/auth/login"],
			]) {
				const requestId = `surface-case-${randomUUID().slice(0, 8)}`;
				const res = await call({ method, path: target, headers: { "X-Request-ID": requestId } });
				expect({ route: `${method} ${target}`, status: res.status }).toEqual({ route: `${method} ${target}`, status: 404 });
				expect(reached.filter((entry) => entry.requestId === requestId)).toEqual([]);
			}
		});
	});

	describe("the route table and the OpenAPI document", () => {
		it("list the same routes with the same methods, in both directions", () => {
			const aliases = (gateway.broker.getLocalService("api") as unknown as GatewayInternals).aliases;
			expect(aliases.filter((alias) => alias.method === "*" || !alias.action)).toEqual([]);
			const table = aliases.map((alias) => `${alias.method.toUpperCase()} ${toOpenApiPath(alias.fullPath)}`);
			expect(new Set(table).size).toBe(table.length);
			const documented = Object.entries(document.paths).flatMap(([template, operations]) =>
				Object.keys(operations).map((method) => `${method.toUpperCase()} ${template}`),
			);
			expect([...table].sort()).toEqual([...documented].sort());
			// the platform's own routes, the probes and docs outside /api/v1 included
			expect(table).toEqual(
				expect.arrayContaining(["GET /health", "GET /metrics", "GET /docs", "POST /api/v1/auth/login", "GET /api/v1/files/{token}"]),
			);
		});

		it("every documented route is served: none answers the router's 'No such route'", async () => {
			const fill = (template: string) =>
				template.replace(/\{([^}]+)\}/g, (_all, name: string) => (name === "file" ? "swagger-ui.css" : NONEXISTENT));
			const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
				Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: fill(template) })),
			);
			const unserved: string[] = [];
			await inBatches(operations, 8, async ({ method, path: target }) => {
				const withBody = ["POST", "PUT", "PATCH"].includes(method);
				const res = await call({
					method,
					path: target,
					headers: withBody ? { "Content-Type": "application/json" } : {},
					body: withBody ? "{}" : undefined,
					headersOnly: target.endsWith("/events"),
				});
				if (res.status === 404 && res.body.includes("No such route")) unserved.push(`${method} ${target}`);
			});
			expect(unserved).toEqual([]);
		});
	});

	describe("security headers on every kind of answer", () => {
		type Kind = "api" | "docs" | "asset" | "file" | "events" | "preflight";
		interface Row {
			name: string;
			status: number;
			kind?: Kind;
			/** The request; every row is sent from the allowed origin unless it names another. */
			send: (origin: Record<string, string>) => Promise<RawResponse>;
			/** The origin is not listed: the answer is a 403 without CORS headers. */
			foreignOrigin?: boolean;
		}
		const owned = () => ({ "Content-Type": "application/json", ...bearer(alice.jwt) });
		const get =
			(target: string, headers: Record<string, string> = {}, headersOnly = false) =>
			(origin: Record<string, string>) =>
				call({ path: target, headers: { ...origin, ...headers }, headersOnly });
		const send =
			(method: string, target: string, body: string | undefined, headers: Record<string, string>) => (origin: Record<string, string>) =>
				call({ method, path: target, body, headers: { ...origin, ...headers } });

		/** One row per kind of answer; add a row for a new kind and every check below applies to it. */
		const ROWS: Row[] = [
			{ name: "200 JSON (public)", status: 200, send: get("/api/v1/health") },
			{ name: "200 JSON (signed in)", status: 200, send: (o) => get("/api/v1/datasets", bearer(alice.jwt))(o) },
			{ name: "200 JSON (superuser)", status: 200, send: (o) => get("/api/v1/health/detailed", bearer(admin.jwt))(o) },
			{ name: "200 OpenAPI document", status: 200, send: get("/api/v1/openapi.json") },
			{ name: "201 created", status: 201, send: (o) => send("POST", "/api/v1/projects", JSON.stringify({ name: "created" }), owned())(o) },
			{
				name: "202 accepted",
				status: 202,
				send: (o) => send("POST", `/api/v1/datasets/${datasetId}/exports`, JSON.stringify({ format: "csv" }), owned())(o),
			},
			{
				name: "204 no content",
				status: 204,
				send: (o) => send("DELETE", `/api/v1/projects/${projectId}`, undefined, bearer(alice.jwt))(o),
			},
			{
				name: "206 partial download",
				status: 206,
				kind: "file",
				send: (o) => get(`/api/v1/exports/${exportId}/download`, { ...bearer(alice.jwt), Range: "bytes=0-99" })(o),
			},
			{
				name: "304 download not modified",
				status: 304,
				kind: "file",
				send: (o) => get(`/api/v1/exports/${exportId}/download`, { ...bearer(alice.jwt), "If-None-Match": exportEtag })(o),
			},
			{
				name: "416 range past the end",
				status: 416,
				send: (o) => get(`/api/v1/exports/${exportId}/download`, { ...bearer(alice.jwt), Range: "bytes=99999999-" })(o),
			},
			{ name: "200 signed file link", status: 200, kind: "file", send: (o) => get(imageUrl)(o) },
			{
				name: "304 signed file link not modified",
				status: 304,
				kind: "file",
				send: async (o) => {
					const first = await get(imageUrl)(o);
					return get(imageUrl, { "If-None-Match": String(first.headers.etag) })(o);
				},
			},
			{
				name: "200 event stream",
				status: 200,
				kind: "events",
				send: (o) => get(`/api/v1/datasets/${datasetId}/events`, bearer(alice.jwt), true)(o),
			},
			{
				name: "400 malformed JSON",
				status: 400,
				send: send("POST", "/api/v1/auth/login", '{"email": ', { "Content-Type": "application/json" }),
			},
			{ name: "401 no credentials", status: 401, send: get("/api/v1/datasets") },
			{ name: "401 invalid token", status: 401, send: get("/api/v1/datasets", { Authorization: "Bearer not-a-valid-token-at-all" }) },
			{ name: "403 superuser route", status: 403, send: (o) => get("/api/v1/users", bearer(alice.jwt))(o) },
			{
				name: "403 token without the scope",
				status: 403,
				send: (o) =>
					send("POST", "/api/v1/tokens", JSON.stringify({ name: "x", scopes: ["datasets:read"] }), {
						"Content-Type": "application/json",
						...bearer(aliceToken),
					})(o),
			},
			{
				name: "403 origin not listed",
				status: 403,
				foreignOrigin: true,
				send: () => get("/api/v1/health", { Origin: "https://evil.example" })({}),
			},
			{ name: "404 unknown route", status: 404, send: get("/api/v1/no-such-route") },
			{ name: "404 unknown resource", status: 404, send: (o) => get(`/api/v1/datasets/${NONEXISTENT}`, bearer(alice.jwt))(o) },
			{ name: "404 wrong method (no 405 in this API)", status: 404, send: send("DELETE", "/api/v1/health", undefined, {}) },
			{ name: "404 missing file behind a signed link", status: 404, send: (o) => get(missingImageUrl)(o) },
			{ name: "404 unknown docs asset", status: 404, send: get("/docs/assets/package.json") },
			{
				name: "413 oversized body",
				status: 413,
				send: send("POST", "/api/v1/auth/login", JSON.stringify({ email: "a@example.com", password: "x".repeat(1_200_000) }), {
					"Content-Type": "application/json",
				}),
			},
			{
				name: "415 text body",
				status: 415,
				send: send("POST", "/api/v1/auth/login", "email=a&password=b", { "Content-Type": "text/plain" }),
			},
			{
				name: "415 form body",
				status: 415,
				send: send("POST", "/api/v1/auth/login", "email=a&password=b", { "Content-Type": "application/x-www-form-urlencoded" }),
			},
			{
				name: "415 unsupported charset",
				status: 415,
				send: send("POST", "/api/v1/auth/login", "{}", { "Content-Type": "application/json; charset=latin1" }),
			},
			{
				name: "422 invalid fields",
				status: 422,
				send: send("POST", "/api/v1/auth/register", "{}", { "Content-Type": "application/json" }),
			},
			{
				name: "429 rate limited",
				status: 429,
				send: async (o) => {
					const build = () => send("POST", `/api/v1/datasets/${NONEXISTENT}/build`, undefined, bearer(bob.jwt))(o);
					for (let i = 0; i < Number(env.RATE_LIMIT_EXPENSIVE); i++) expect((await build()).status).toBe(404);
					return build();
				},
			},
			{ name: "500 unexpected error", status: 500, send: get("/api/v1/faults/unexpected") },
			{ name: "503 service unavailable", status: 503, send: get("/api/v1/faults-unavailable") },
			{ name: "503 readiness", status: 503, send: get("/health/ready") },
			{ name: "504 timeout", status: 504, send: get("/api/v1/faults-slow?ms=3000") },
			{ name: "200 liveness", status: 200, send: get("/health") },
			{ name: "200 metrics", status: 200, send: get("/metrics") },
			{ name: "200 Swagger UI", status: 200, kind: "docs", send: get("/docs") },
			{ name: "200 ReDoc", status: 200, kind: "docs", send: get("/redoc") },
			{ name: "200 docs asset", status: 200, kind: "asset", send: get("/docs/assets/swagger-ui.css") },
			{
				name: "204 preflight",
				status: 204,
				kind: "preflight",
				send: (o) =>
					send("OPTIONS", "/api/v1/datasets", undefined, {
						"Access-Control-Request-Method": "POST",
						"Access-Control-Request-Headers": "authorization,content-type",
					})(o),
			},
			{
				name: "204 preflight of an unknown path",
				status: 204,
				kind: "preflight",
				send: (o) => send("OPTIONS", "/api/v1/no-such-route", undefined, { "Access-Control-Request-Method": "GET" })(o),
			},
		];
		const answers = new Map<string, RawResponse>();

		beforeAll(async () => {
			// in order: some rows change state (create, delete, spend a budget)
			for (const row of ROWS) answers.set(row.name, await row.send({ Origin: ALLOWED_ORIGIN }));
		});

		it.each(ROWS.map((row) => [row.name, row] as const))("%s", (_name, row) => {
			const res = answers.get(row.name) as RawResponse;
			const kind = row.kind ?? "api";
			expect({ row: row.name, status: res.status }).toEqual({ row: row.name, status: row.status });
			expect(res.headers).toMatchObject({
				"x-content-type-options": "nosniff",
				"x-frame-options": "DENY",
				"referrer-policy": "no-referrer",
				"cross-origin-resource-policy": "same-origin",
				"x-request-id": expect.any(String),
			});
			const csp = String(res.headers["content-security-policy"]);
			if (kind === "docs") expect(csp).toMatch(/^default-src 'self';.*frame-ancestors 'none'/);
			// files keep the API's policy or get a sandboxing one of their own
			else if (kind === "file") expect(csp === API_CSP || /^default-src 'none';.*sandbox/.test(csp)).toBe(true);
			else if (kind === "asset") expect(csp).toContain("frame-ancestors 'none'");
			else expect(csp).toBe(API_CSP);
			// docs pages and their assets are the same for everyone; everything else is private
			if (kind === "asset") expect(res.headers["cache-control"]).toBe("public, max-age=86400");
			else if (kind === "docs") expect(res.headers["cache-control"]).toBeUndefined();
			else expect(res.headers["cache-control"]).toBe("no-store");
			if (res.status >= 400 && row.name !== "503 readiness") {
				expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
				expect(JSON.parse(res.body)).toMatchObject({ status: res.status, requestId: res.headers["x-request-id"] });
			}
			if (kind === "events") expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
			// plain HTTP without a trusted proxy: no HSTS (browsers ignore it there, and it would pin localhost)
			expect(res.headers["strict-transport-security"]).toBeUndefined();
		});

		it.each(ROWS.map((row) => [row.name, row] as const))("CORS: %s", (_name, row) => {
			const res = answers.get(row.name) as RawResponse;
			// never a wildcard together with credentials
			expect(res.headers["access-control-allow-origin"] === "*" && res.headers["access-control-allow-credentials"] === "true").toBe(false);
			if (row.foreignOrigin) {
				expect(res.headers["access-control-allow-origin"]).toBeUndefined();
				expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
			} else {
				expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
				expect(res.headers["access-control-allow-credentials"]).toBe("true");
				expect(String(res.headers.vary)).toMatch(/Origin/);
			}
		});

		it("the table holds every kind of answer the brief names", () => {
			const statuses = new Set(ROWS.map((row) => row.status));
			for (const status of [200, 201, 202, 204, 206, 304, 400, 401, 403, 404, 413, 415, 416, 422, 429, 500, 503, 504])
				expect(statuses).toContain(status);
			const kinds = new Set(ROWS.map((row) => row.kind ?? "api"));
			for (const kind of ["api", "docs", "asset", "file", "events", "preflight"]) expect(kinds).toContain(kind);
		});
	});

	describe("CORS origins", () => {
		const LOOK_ALIKES = [
			"https://app.pixcrawler.tes",
			"https://app.pixcrawler.te",
			"https://app.pixcrawler.testx",
			"https://app.pixcrawler.test.evil.example",
			"https://evil.app.pixcrawler.test",
			"http://app.pixcrawler.test",
			"https://APP.pixcrawler.test",
			"https://app.pixcrawler.test:8443",
			"https://pixcrawler.test",
			"http://localhost:517",
			"http://localhost:51730",
			"http://localhost",
			"null",
			"*",
		];

		it.each(LOOK_ALIKES)("reflects only listed origins, never a look-alike: %s", async (origin) => {
			for (const res of [
				await call({ path: "/api/v1/health", headers: { Origin: origin } }),
				await call({ method: "OPTIONS", path: "/api/v1/auth/login", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } }),
			]) {
				expect(res.status).toBe(403);
				expect(res.headers["access-control-allow-origin"]).toBeUndefined();
				expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
				expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
				expect(res.headers["x-content-type-options"]).toBe("nosniff");
			}
		});

		it("reflects each listed origin exactly", async () => {
			for (const origin of config.cors.origins) {
				const res = await call({ path: "/api/v1/health", headers: { Origin: origin } });
				expect(res.headers["access-control-allow-origin"]).toBe(origin);
			}
		});

		it("refuses * with credentials at configuration time, with a clear error", () => {
			for (const origins of ["*", `${ALLOWED_ORIGIN},*`]) {
				expect(() => testConfig({ CORS_ORIGINS: origins, CORS_CREDENTIALS: "true" })).toThrow(ConfigError);
				expect(() => testConfig({ CORS_ORIGINS: origins, CORS_CREDENTIALS: "true" })).toThrow(
					"CORS_ORIGINS: * cannot be combined with CORS_CREDENTIALS=true (list the allowed origins)",
				);
			}
			expect(testConfig({ CORS_ORIGINS: "*", CORS_CREDENTIALS: "false" }).cors.origins).toEqual(["*"]);
		});

		it.each([
			"https://*.pixcrawler.test",
			"https://app.pixcrawler.test/",
			"https://app.pixcrawler.test/api",
			"app.pixcrawler.test",
			"ftp://app.pixcrawler.test",
		])("refuses an entry that is not an exact origin at configuration time: %s", (entry) => {
			expect(() => testConfig({ CORS_ORIGINS: `http://localhost:5173,${entry}` })).toThrow(
				`CORS_ORIGINS: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path, pattern or trailing slash)`,
			);
		});

		it("never sends * with credentials, even for a configuration object that skipped validation", async () => {
			const unchecked: Config = { ...testConfig(), cors: { origins: ["*"], credentials: true, maxAgeSeconds: 600 } };
			const broker = new ServiceBroker({ ...brokerOptions(unchecked), logger: false });
			const api = broker.createService(createApiService(unchecked)) as unknown as GatewayInternals & {
				server: { address(): { port: number } };
			};
			await broker.start();
			try {
				await waitForAliases(api, ["api.health"]);
				const base = `http://127.0.0.1:${api.server.address().port}`;
				for (const res of [
					await rawRequest(base, { path: "/api/v1/health", headers: { Origin: "https://anywhere.example" } }),
					await rawRequest(base, { path: "/api/v1/nope", headers: { Origin: "https://anywhere.example" } }),
					await rawRequest(base, {
						method: "OPTIONS",
						path: "/api/v1/health",
						headers: { Origin: "https://anywhere.example", "Access-Control-Request-Method": "GET" },
					}),
				]) {
					expect(res.headers["access-control-allow-origin"]).toBe("*");
					expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
				}
			} finally {
				await broker.stop();
			}
		});
	});

	describe("error answers", () => {
		const secrets = () => [FAULT_SECRET, FAULT_PATH, dataDir, config.auth.jwtSecret, config.storage.signingSecret];

		interface Forced {
			name: string;
			/** The client error it answers (a list where the wording of the problem may be either). */
			status: number | number[];
			send: () => Promise<RawResponse>;
		}
		const FORCED: Forced[] = [
			...Object.keys(FAULTS).map((kind) => ({
				name: `fault: ${kind}`,
				status: kind === "clientStatus" ? 400 : 500,
				send: () => call({ path: `/api/v1/faults/${kind}` }),
			})),
			{ name: "ENOENT from storage behind a signed link", status: 404, send: () => call({ path: missingImageUrl }) },
			{ name: "tampered signed link", status: 403, send: () => call({ path: `${imageUrl.slice(0, -3)}xyz` }) },
			{
				name: "malformed JSON",
				status: 400,
				send: () =>
					call({
						method: "POST",
						path: "/api/v1/auth/login",
						body: '{"email": "a@example.com", "password": ',
						headers: { "Content-Type": "application/json" },
					}),
			},
			{
				name: "query operators in place of strings",
				status: 422,
				send: () => call({ method: "POST", path: "/api/v1/auth/login", ...json({ email: { $ne: null }, password: { $gt: "" } }) }),
			},
			{
				name: "validator: wrong types",
				status: 422,
				send: () => call({ method: "POST", path: "/api/v1/auth/register", ...json({ email: 42, password: true, name: ["x"] }) }),
			},
			{
				name: "validator: unknown fields",
				status: 422,
				send: () =>
					call({
						method: "POST",
						path: "/api/v1/auth/register",
						...json({ email: "a@example.com", password: PASSWORD, name: "a", role: "superuser", __proto__x: 1 }),
					}),
			},
			{
				name: "validator: bad path parameter",
				status: 422,
				send: () => call({ path: `/api/v1/datasets/${"x".repeat(100)}`, headers: bearer(alice.jwt) }),
			},
			{
				name: "percent-encoding that does not decode",
				// a bare 400, or a 422 naming the path parameter
				status: [400, 422],
				send: () => call({ path: "/api/v1/datasets/%E0%A4%A", headers: bearer(alice.jwt) }),
			},
			{
				name: "duplicate account (a unique index)",
				status: 409,
				send: async () => {
					const email = `dup-${randomUUID().slice(0, 8)}@example.com`;
					await call({ method: "POST", path: "/api/v1/auth/register", ...json({ email, password: PASSWORD, name: "dup" }) });
					return call({ method: "POST", path: "/api/v1/auth/register", ...json({ email, password: PASSWORD, name: "dup" }) });
				},
			},
			{ name: "timeout", status: 504, send: () => call({ path: "/api/v1/faults-slow?ms=2500" }) },
			{ name: "missing service", status: 503, send: () => call({ path: "/api/v1/faults-unavailable" }) },
		];

		it.each(FORCED.map((forced) => [forced.name, forced] as const))("%s: no stack, path, driver text or secret", async (_name, forced) => {
			const res = await forced.send();
			expect([forced.status].flat()).toContain(res.status);
			expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
			const body = JSON.parse(res.body);
			expect(leaksIn(res.body, secrets())).toEqual([]);
			expect(leaksIn(headerText(res), secrets())).toEqual([]);
			// only the problem fields: no `stack`, `data`, `code` or `errors` beyond field names and messages
			expect(
				Object.keys(body).filter((key) => !["type", "title", "status", "detail", "requestId", "errors", "retryAfter"].includes(key)),
			).toEqual([]);
			if (res.status >= 500) {
				expect(body).toEqual({
					type: expect.any(String),
					title: expect.any(String),
					status: res.status,
					detail: expect.any(String),
					requestId: res.headers["x-request-id"],
				});
			}
		});

		it("tells a library error's client status without its text", async () => {
			const res = await call({ path: "/api/v1/faults/clientStatus" });
			expect(JSON.parse(res.body)).toMatchObject({ status: 400, detail: "Bad Request" });
		});
	});
});

describe("Strict-Transport-Security", () => {
	/** The answers HSTS must be on (or off) alike: success, errors of both routes, an unknown path, a preflight. */
	const REQUESTS: RawRequest[] = [
		{ path: "/api/v1/health" },
		{ path: "/health" },
		{ path: "/api/v1/no-such-route" },
		{ path: "/no-such-route" },
		{ path: "/api/v1/health/detailed" },
		{ method: "OPTIONS", path: "/api/v1/health", headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "GET" } },
	];
	const CASES: { name: string; env: Record<string, string>; headers: Record<string, string>; hsts: boolean }[] = [
		{ name: "plain HTTP, no proxy trusted", env: {}, headers: {}, hsts: false },
		{ name: "X-Forwarded-Proto from an untrusted peer is ignored", env: {}, headers: { "X-Forwarded-Proto": "https" }, hsts: false },
		{
			name: "HTTPS reported by a trusted proxy",
			env: { GATEWAY_TRUST_PROXY: "loopback" },
			headers: { "X-Forwarded-Proto": "https" },
			hsts: true,
		},
		{
			name: "HTTPS reported by a trusted hop count",
			env: { GATEWAY_TRUST_PROXY: "1" },
			headers: { "X-Forwarded-Proto": "https, http" },
			hsts: true,
		},
		{
			name: "HTTP reported by a trusted proxy",
			env: { GATEWAY_TRUST_PROXY: "loopback" },
			headers: { "X-Forwarded-Proto": "http" },
			hsts: false,
		},
		{ name: "a trusted proxy that says nothing", env: { GATEWAY_TRUST_PROXY: "loopback" }, headers: {}, hsts: false },
		{
			name: "a proxy trusted elsewhere than this peer",
			env: { GATEWAY_TRUST_PROXY: "10.0.0.0/8" },
			headers: { "X-Forwarded-Proto": "https" },
			hsts: false,
		},
		{ name: "an https public URL", env: { GATEWAY_PUBLIC_URL: "https://api.pixcrawler.test" }, headers: {}, hsts: true },
		{ name: "an http public URL", env: { GATEWAY_PUBLIC_URL: "http://localhost:3000" }, headers: {}, hsts: false },
	];

	it.each(CASES.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
		const gateway = await startGateway({ env: entry.env, waitFor: ["api.health"] });
		try {
			for (const request of REQUESTS) {
				const res = await rawRequest(gateway.url, { ...request, headers: { ...request.headers, ...entry.headers } });
				expect({ path: request.path, method: request.method ?? "GET", hsts: res.headers["strict-transport-security"] }).toEqual({
					path: request.path,
					method: request.method ?? "GET",
					hsts: entry.hsts ? HSTS : undefined,
				});
				expect(res.headers["x-content-type-options"]).toBe("nosniff");
			}
		} finally {
			await gateway.stop();
		}
	});
});
