import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineService } from "../../lib/define-service";
import { API_TOKEN_SCOPES } from "../../lib/scopes";
import { ACTIVITY_SERVICE } from "../../services/auth/activity";
import { signLink } from "../../services/storage/signed-links";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, waitUntil } from "../support/gateway";
import { startPlatform } from "../support/platform";
import {
	fillPath,
	liveRoutes,
	type Method,
	mixedParams,
	type Route,
	routeName,
	uncoveredRoutes,
	undeclaredRoutes,
} from "./support/authz-routes";
import { documentsOf, filesUnder, type OwnedDocuments, repositoriesOf } from "./support/authz-store";

/**
 * Authorization sweeps driven by the live gateway's route table: for every route with a path parameter
 * user A tries user B's object (with a session and with an API token holding every scope) and gets the
 * same 404 a nonexistent id gets, or 403 on superuser routes; B's stored documents and files are
 * byte-identical afterwards; A's lists never show B's ids, whatever filters A slips into the query;
 * superuser routes refuse users and anonymous callers; and every route declares who may call it. A new
 * route with a parameter fails this file until the table below says whose object it takes.
 */

jest.setTimeout(60000);

const PASSWORD = "correct horse battery staple";
/** Shaped like a stored id (16 characters), and nobody's. */
const NONEXISTENT = "zz00nonexistent0";
const ENDED = ["done", "failed", "cancelled"];

interface Account {
	id: string;
	email: string;
	/** A signed-in session's access token. */
	jwt: string;
	/** An API token holding every scope. */
	token: string;
}

/** One of each kind of object a user owns. */
interface Owned {
	userId: string;
	projectId: string;
	datasetId: string;
	imageId: string;
	imageStorageKey: string;
	jobId: string;
	/** A task of the job that ended dead (its URL never answers). */
	taskId: string;
	exportId: string;
	tokenId: string;
	/** The notification of the account's build. */
	notificationId: string;
	/** A webhook that received the build's and the export's events. */
	webhookId: string;
}

type Params = Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes
type Body = any;

interface Answer {
	status: number;
	type: string;
	text: string;
	body: Body;
}

/** Controls run in this order, so one route's success does not take away the state another needs. */
const ORDER = { read: 0, write: 1, state: 2, requeue: 3, removeChild: 4, removeDataset: 5, removeProject: 6, removeUser: 7 };

interface MethodCase {
	/** A valid body: A's attempt must get past validation to reach the ownership check. */
	body?: Record<string, unknown>;
	/** B's own call (a superuser's on superuser routes) and the success it must get. */
	control: {
		status: number;
		order: number;
		/** The state the call needs (a running build, a dead task…), and the parameters for it; else B's objects. */
		prepare?: () => Promise<Params>;
	};
}

interface OwnedRoute {
	public?: undefined;
	/** The owner's object for each path parameter. */
	params(owner: Owned): Params;
	methods: Partial<Record<Method, MethodCase>>;
}

interface PublicRoute {
	/** Why the route is for everyone although it takes a parameter. */
	public: string;
	/** What shows that the parameter opens nothing it should not. */
	probe(): Promise<void>;
}

describe("authorization sweeps over the gateway's route table", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-authz-sweep-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let routes: Route[];
	let alice: Account;
	let bob: Account;
	let admin: Account;
	let aliceOwns: Owned;
	let bobOwns: Owned;
	let slowBuilds = 0;

	async function send(method: Method, target: string, options: { as?: string; body?: object; query?: string } = {}): Promise<Answer> {
		const headers: Record<string, string> = {};
		if (options.as) headers.Authorization = `Bearer ${options.as}`;
		if (options.body) headers["Content-Type"] = "application/json";
		const res = await fetch(`${gateway.url}${target}${options.query ? `?${options.query}` : ""}`, {
			method,
			headers,
			body: options.body ? JSON.stringify(options.body) : undefined,
		});
		const type = res.headers.get("content-type") ?? "";
		// an event stream of a build still running would never end: its status and type are the answer
		if (type.startsWith("text/event-stream")) {
			await res.body?.cancel();
			return { status: res.status, type, text: "", body: undefined };
		}
		const text = await res.text();
		return { status: res.status, type, text, body: type.includes("json") && text ? JSON.parse(text) : undefined };
	}

	/** A call that must succeed with `status`; its JSON body. */
	async function ok(method: Method, target: string, as: string | undefined, body: object | undefined, status: number): Promise<Body> {
		const answer = await send(method, target, { as, body });
		if (answer.status !== status) throw new Error(`${method} ${target}: expected ${status}, got ${answer.status} ${answer.text}`);
		return answer.body;
	}

	async function signUp(name: string): Promise<Account> {
		const email = `${name}-${Date.now()}@example.com`;
		const user = await ok("POST", "/api/v1/auth/register", undefined, { email, password: PASSWORD, name }, 201);
		const jwt = (await ok("POST", "/api/v1/auth/login", undefined, { email, password: PASSWORD }, 200)).accessToken;
		return { id: user.id, email, jwt, token: "" };
	}

	async function jobEnded(account: Account, jobId: string): Promise<Body> {
		let job: Body;
		await waitUntil(
			async () => {
				job = await ok("GET", `/api/v1/jobs/${jobId}`, account.jwt, undefined, 200);
				return ENDED.includes(job.status);
			},
			30000,
			`job ${jobId} to end`,
		);
		return job;
	}

	/** One object of every kind for the account, made through the API as a client makes them. */
	async function seed(account: Account, first: number): Promise<Owned> {
		const token = await ok("POST", "/api/v1/tokens", account.jwt, { name: "everything", scopes: [...API_TOKEN_SCOPES] }, 201);
		account.token = token.token;
		const webhook = await ok(
			"POST",
			"/api/v1/webhooks",
			account.jwt,
			{ url: `${web.url}/tiny/hook-${first}`, events: ["job.completed", "export.ready"] },
			201,
		);
		const project = await ok("POST", "/api/v1/projects", account.jwt, { name: "pets" }, 201);
		const dataset = await ok(
			"POST",
			"/api/v1/datasets",
			account.jwt,
			{
				name: "animals",
				projectId: project.id,
				categories: [
					// the last URL never answers: its task ends dead, for the retry and requeue routes
					{ label: "cat", urls: [`${web.url}/img/cat/${first}.jpg`, `${web.url}/img/cat/${first + 1}.jpg`, "http://127.0.0.1:1/down.jpg"] },
					{ label: "dog", urls: [`${web.url}/img/dog/${first}.jpg`] },
				],
				sources: ["urls"],
				options: { minWidth: 32, minHeight: 32 },
			},
			201,
		);
		const { jobId } = await ok("POST", `/api/v1/datasets/${dataset.id}/build`, account.jwt, undefined, 202);
		expect((await jobEnded(account, jobId)).status).toBe("done");
		const images = await ok("GET", `/api/v1/datasets/${dataset.id}/images?status=valid&label=cat`, account.jwt, undefined, 200);
		const dead = await ok("GET", `/api/v1/jobs/${jobId}/tasks?status=dead`, account.jwt, undefined, 200);
		const created = await ok("POST", `/api/v1/datasets/${dataset.id}/exports`, account.jwt, { format: "imagefolder" }, 202);
		await waitUntil(async () => (await ok("GET", `/api/v1/exports/${created.id}`, account.jwt, undefined, 200)).status === "ready");
		let notifications: Body;
		await waitUntil(async () => {
			notifications = await ok("GET", "/api/v1/notifications?type=job.completed", account.jwt, undefined, 200);
			return notifications.total > 0;
		});
		return {
			userId: account.id,
			projectId: project.id,
			datasetId: dataset.id,
			imageId: images.items[0].id,
			imageStorageKey: images.items[0].storageKey,
			jobId,
			taskId: dead.items[0].id,
			exportId: created.id,
			tokenId: token.id,
			notificationId: notifications.items[0].id,
			webhookId: webhook.id,
		};
	}

	/** A dataset of Bob's whose build is under way (its one image answers after 1.5 s). */
	async function slowBuild(): Promise<{ datasetId: string; jobId: string }> {
		const datasetId = (await slowDataset()).id;
		const { jobId } = await ok("POST", `/api/v1/datasets/${datasetId}/build`, bob.jwt, undefined, 202);
		return { datasetId, jobId };
	}
	async function slowDataset(): Promise<{ id: string }> {
		slowBuilds += 1;
		return ok(
			"POST",
			"/api/v1/datasets",
			bob.jwt,
			{
				name: `slow-${slowBuilds}`,
				categories: [{ label: "cat", urls: [`${web.url}/slow/headers/1500/s${slowBuilds}.jpg`] }],
				sources: ["urls"],
			},
			201,
		);
	}

	const read: MethodCase = { control: { status: 200, order: ORDER.read } };

	/**
	 * Whose object each path parameter takes, per route template, and how the owner's own call succeeds.
	 * Every parameterised route of the gateway must have an entry, for each of its methods.
	 */
	const TABLE: Record<string, OwnedRoute | PublicRoute> = {
		"/api/v1/projects/:id": {
			params: (owner) => ({ id: owner.projectId }),
			methods: {
				GET: read,
				PATCH: { body: { description: "changed" }, control: { status: 200, order: ORDER.write } },
				DELETE: { control: { status: 204, order: ORDER.removeProject } },
			},
		},
		"/api/v1/datasets/:id": {
			params: (owner) => ({ id: owner.datasetId }),
			methods: {
				GET: read,
				PATCH: { body: { description: "changed" }, control: { status: 200, order: ORDER.write } },
				DELETE: { control: { status: 204, order: ORDER.removeDataset } },
			},
		},
		"/api/v1/datasets/:id/images": { params: (owner) => ({ id: owner.datasetId }), methods: { GET: read } },
		"/api/v1/datasets/:id/images/:imageId": {
			params: (owner) => ({ id: owner.datasetId, imageId: owner.imageId }),
			methods: {
				GET: read,
				PATCH: { body: { label: "dog" }, control: { status: 200, order: ORDER.write } },
				DELETE: { control: { status: 204, order: ORDER.removeChild } },
			},
		},
		"/api/v1/datasets/:id/metadata": { params: (owner) => ({ id: owner.datasetId }), methods: { GET: read } },
		"/api/v1/datasets/:id/events": { params: (owner) => ({ id: owner.datasetId }), methods: { GET: read } },
		"/api/v1/datasets/:id/exports": {
			params: (owner) => ({ id: owner.datasetId }),
			methods: { GET: read, POST: { body: { format: "imagefolder" }, control: { status: 202, order: ORDER.write } } },
		},
		"/api/v1/datasets/:id/build": {
			params: (owner) => ({ id: owner.datasetId }),
			methods: { POST: { control: { status: 202, order: ORDER.state, prepare: async () => ({ id: (await slowDataset()).id }) } } },
		},
		"/api/v1/datasets/:id/cancel": {
			params: (owner) => ({ id: owner.datasetId }),
			methods: { POST: { control: { status: 200, order: ORDER.state, prepare: async () => ({ id: (await slowBuild()).datasetId }) } } },
		},
		"/api/v1/exports/:id": {
			params: (owner) => ({ id: owner.exportId }),
			methods: { GET: read, DELETE: { control: { status: 204, order: ORDER.removeChild } } },
		},
		"/api/v1/exports/:id/download": { params: (owner) => ({ id: owner.exportId }), methods: { GET: read } },
		"/api/v1/jobs/:id": { params: (owner) => ({ id: owner.jobId }), methods: { GET: read } },
		"/api/v1/jobs/:id/tasks": { params: (owner) => ({ id: owner.jobId }), methods: { GET: read } },
		"/api/v1/jobs/:id/logs": { params: (owner) => ({ id: owner.jobId }), methods: { GET: read } },
		"/api/v1/jobs/:id/events": { params: (owner) => ({ id: owner.jobId }), methods: { GET: read } },
		"/api/v1/jobs/:id/cancel": {
			params: (owner) => ({ id: owner.jobId }),
			methods: { POST: { control: { status: 200, order: ORDER.state, prepare: async () => ({ id: (await slowBuild()).jobId }) } } },
		},
		"/api/v1/jobs/:id/retry": {
			params: (owner) => ({ id: owner.jobId }),
			methods: { POST: { control: { status: 200, order: ORDER.state } } },
		},
		"/api/v1/notifications/:id": {
			params: (owner) => ({ id: owner.notificationId }),
			methods: { PATCH: { body: { read: true }, control: { status: 200, order: ORDER.write } } },
		},
		"/api/v1/webhooks/:id": {
			params: (owner) => ({ id: owner.webhookId }),
			methods: {
				PATCH: { body: { description: "changed" }, control: { status: 200, order: ORDER.write } },
				DELETE: { control: { status: 204, order: ORDER.removeChild } },
			},
		},
		"/api/v1/webhooks/:id/test": {
			params: (owner) => ({ id: owner.webhookId }),
			methods: { POST: { control: { status: 202, order: ORDER.write } } },
		},
		"/api/v1/webhooks/:id/deliveries": { params: (owner) => ({ id: owner.webhookId }), methods: { GET: read } },
		"/api/v1/tokens/:id": {
			params: (owner) => ({ id: owner.tokenId }),
			methods: { DELETE: { control: { status: 204, order: ORDER.removeChild } } },
		},
		"/api/v1/users/:id": {
			params: (owner) => ({ id: owner.userId }),
			methods: {
				GET: read,
				PATCH: { body: { name: "Changed" }, control: { status: 200, order: ORDER.write } },
				DELETE: { control: { status: 204, order: ORDER.removeUser } },
			},
		},
		"/api/v1/admin/users/:id/limits": {
			params: (owner) => ({ id: owner.userId }),
			methods: { GET: read, PATCH: { body: { datasets: 50 }, control: { status: 200, order: ORDER.write } } },
		},
		"/api/v1/admin/jobs/:id": { params: (owner) => ({ id: owner.jobId }), methods: { GET: read } },
		"/api/v1/admin/tasks/:id/requeue": {
			params: (owner) => ({ id: owner.taskId }),
			methods: {
				POST: {
					control: {
						status: 200,
						order: ORDER.requeue,
						// the retry control ran the dead task again: requeue it once it has died again
						prepare: async () => {
							await jobEnded(bob, bobOwns.jobId);
							const dead = await ok("GET", `/api/v1/admin/tasks?status=dead&jobId=${bobOwns.jobId}`, admin.jwt, undefined, 200);
							return { id: dead.items[0].id };
						},
					},
				},
			},
		},
		"/api/v1/files/:token": {
			public: "A signed link is the capability: whoever holds it may download, so the signature is what guards the file.",
			async probe() {
				const image = await ok("GET", `/api/v1/datasets/${bobOwns.datasetId}/images/${bobOwns.imageId}`, bob.jwt, undefined, 200);
				const link = new URL(image.url, gateway.url).pathname;
				expect((await send("GET", link)).status).toBe(200);
				const secret = gateway.config.storage.signingSecret;
				const exp = Math.floor(Date.now() / 1000) + 600;
				const forged = signLink({ key: bobOwns.imageStorageKey, exp }, "another-secret-of-at-least-32-characters");
				const aliceLink = (
					await ok("GET", `/api/v1/datasets/${aliceOwns.datasetId}/images/${aliceOwns.imageId}`, alice.jwt, undefined, 200)
				).url as string;
				const aliceSignature = aliceLink.split(".").at(-1);
				const bobPayload = signLink({ key: bobOwns.imageStorageKey, exp }, secret).split(".")[0];
				for (const token of [forged, `${bobPayload}.${aliceSignature}`, `${link.split("/").at(-1)}x`, "not-a-signed-link-at-all"]) {
					const answer = await send("GET", `/api/v1/files/${encodeURIComponent(token)}`, { as: alice.jwt });
					expect([token, answer.status, answer.type]).toEqual([token, 403, expect.stringMatching(/^application\/problem\+json/)]);
				}
				// a valid signature over a key that holds nothing
				const nothing = signLink({ key: `datasets/${bobOwns.datasetId}/${"0".repeat(64)}.jpg`, exp }, secret);
				expect((await send("GET", `/api/v1/files/${nothing}`)).status).toBe(404);
			},
		},
		"/docs/assets/:file": {
			public: "The API documentation's static files, the same for everyone.",
			async probe() {
				expect((await send("GET", "/docs/assets/swagger-ui.css")).status).toBe(200);
				for (const file of ["..%2F..%2Fpackage.json", "package.json", "..%2F.env"]) {
					expect([file, (await send("GET", `/docs/assets/${file}`)).status]).toEqual([file, 404]);
				}
			},
		},
	};

	const entryOf = (route: Route) => TABLE[route.path];
	const ownedEntryOf = (route: Route) => TABLE[route.path] as OwnedRoute;
	const caseOf = (route: Route) => ownedEntryOf(route).methods[route.method] as MethodCase;
	const paramRoutes = () => routes.filter((route) => route.params.length > 0 && !entryOf(route)?.public);

	/** A's credentials, and what each must get on B's object: 403 on superuser routes, else 404 — or 403 for a token on a route without scopes. */
	function attempts(route: Route): { how: string; as: string; status: number }[] {
		if (route.auth === "superuser") {
			return [
				{ how: "A's session", as: alice.jwt, status: 403 },
				{ how: "A's API token", as: alice.token, status: 403 },
			];
		}
		return [
			{ how: "A's session", as: alice.jwt, status: 404 },
			{ how: "A's API token", as: alice.token, status: route.scopes.length > 0 ? 404 : 403 },
		];
	}

	/** Differences from the expected refusal, as readable lines (an empty list is a pass). */
	function refusal(what: string, answer: Answer, status: number): string[] {
		const problems: string[] = [];
		if (answer.status !== status) problems.push(`${what}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 200)}`);
		else if (!answer.type.startsWith("application/problem+json") || answer.body?.status !== status) {
			problems.push(`${what}: not a problem+json ${status} (${answer.type}) ${answer.text.slice(0, 200)}`);
		}
		return problems;
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 20 });
		gateway = await startPlatform({
			env: {
				PIXCRAWLER_DATA_DIR: dataDir,
				PIXCRAWLER_DB_IN_MEMORY: "false",
				RATE_LIMIT_DEFAULT: "100000",
				RATE_LIMIT_AUTH: "10000",
				RATE_LIMIT_EXPENSIVE: "10000",
				CRAWL_RETRY_CAP_MS: "200",
				CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "10",
				...web.env(),
			},
			waitFor: ["auth.register", "dataset.createExport", "crawl.getJob", "storage.usage", "api.openapi", "api.jobEvents"],
		});
		routes = liveRoutes(gateway.broker);
		[alice, bob, admin] = await Promise.all([signUp("alice"), signUp("bob"), signUp("admin")]);
		await (
			gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(admin.id, { role: "superuser" });
		admin.jwt = (await ok("POST", "/api/v1/auth/login", undefined, { email: admin.email, password: PASSWORD }, 200)).accessToken;
		[aliceOwns, bobOwns] = await Promise.all([seed(alice, 1), seed(bob, 5)]);
	});
	afterAll(async () => {
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	describe("the route table", () => {
		it("is the live gateway's, with the routes this file knows of among them", () => {
			const names = routes.map(routeName);
			expect(names).toEqual(
				expect.arrayContaining(["DELETE /api/v1/datasets/:id", "GET /api/v1/jobs/:id/events", "GET /api/v1/users", "GET /health"]),
			);
			expect(paramRoutes().length).toBeGreaterThanOrEqual(30);
		});

		it("gives every route a declared auth level", () => {
			expect(undeclaredRoutes(routes)).toEqual([]);
		});

		it("knows whose object every path parameter takes, for every method of every parameterised route", () => {
			expect(uncoveredRoutes(routes, TABLE)).toEqual([]);
			// public entries only for routes that are public, and no entry for a route that is gone
			const live = new Set(routes.map((route) => route.path));
			expect(Object.keys(TABLE).filter((template) => !live.has(template))).toEqual([]);
			const publicButNot = routes.filter((route) => entryOf(route)?.public && route.auth !== "public").map(routeName);
			expect(publicButNot).toEqual([]);
		});

		it("would name a parameterised route or method the table lacks (the coverage check is not vacuous)", () => {
			const added: Route[] = [
				{ method: "GET", path: "/api/v1/albums/:albumId", action: "x.get", auth: "user", scopes: [], page: false, params: ["albumId"] },
				{ method: "PUT", path: "/api/v1/datasets/:id", action: "x.put", auth: "user", scopes: [], page: false, params: ["id"] },
			];
			expect(uncoveredRoutes([...routes, ...added], TABLE)).toEqual(["GET /api/v1/albums/:albumId", "PUT /api/v1/datasets/:id"]);
		});

		it("refuses a route whose action declares no auth level, and the table check names it", async () => {
			const forgetful = defineService({
				name: "authz-forgetful",
				settings: { rest: "/" },
				actions: {
					forgotten: {
						rest: "GET /forgotten/:id",
						params: { id: "string" },
						handler() {
							return { leaked: true };
						},
					},
				},
			});
			const other = await startGateway({ services: [forgetful], waitFor: ["authz-forgetful.forgotten"] });
			try {
				const otherRoutes = liveRoutes(other.broker);
				expect(undeclaredRoutes(otherRoutes)).toEqual(["GET /api/v1/forgotten/:id (authz-forgetful.forgotten: auth null)"]);
				expect(uncoveredRoutes(otherRoutes, TABLE)).toContain("GET /api/v1/forgotten/:id");
				for (const as of [await other.tokenFor("user-1"), await other.tokenFor("admin-1", "superuser"), undefined]) {
					const res = await fetch(`${other.url}/api/v1/forgotten/x`, { headers: as ? { Authorization: `Bearer ${as}` } : {} });
					const text = await res.text();
					expect(res.status).toBe(403);
					expect(text).not.toContain("leaked");
				}
			} finally {
				await other.stop();
			}
		});
	});

	describe("A against B's objects", () => {
		let before: OwnedDocuments;
		let filesBefore: Record<string, string>;
		let bobIds: string[];
		const storageRoot = () => gateway.config.storage.localDir ?? path.join(gateway.config.global.dataDir, "storage");
		/** The activity log records A's attempts (naming B's ids) by design: an audit trail, not B's documents. */
		const ownedRepositories = () => repositoriesOf(gateway.broker).filter((repository) => repository.service !== ACTIVITY_SERVICE);

		beforeAll(async () => {
			const repositories = ownedRepositories();
			// at rest: builds and exports are over, so nothing but the sweep could change a document
			let previous = "";
			await waitUntil(async () => {
				before = await documentsOf(repositories, bob.id);
				const now = JSON.stringify(before.documents);
				const stable = now === previous;
				previous = now;
				if (!stable) await new Promise((resolve) => setTimeout(resolve, 200));
				return stable;
			});
			filesBefore = filesUnder(storageRoot());
			bobIds = [...before.ids];
		});

		it("reads B's documents from every repository, B's objects of every kind among them", () => {
			const services = repositoriesOf(gateway.broker).map((repository) => repository.service);
			expect(services).toEqual(
				expect.arrayContaining([
					"auth",
					"auth-api-tokens",
					"auth-refresh-tokens",
					"dataset",
					"dataset-images",
					"dataset-projects",
					"dataset-exports",
					"dataset-stats",
					"crawl-jobs",
					"crawl-tasks",
					"crawl-job-logs",
					"storage",
					"storage-usage",
					"notify-notifications",
					"notify-webhooks",
					"notify-deliveries",
				]),
			);
			// every one of those collections holds something of Bob's: the closure over ids reaches them all
			expect(
				Object.entries(before.documents)
					.filter(([, docs]) => docs.length === 0)
					.map(([service]) => service),
			).toEqual([]);
			for (const id of Object.values(bobOwns).filter((value) => !value.includes("/"))) expect(before.ids).toContain(id);
			// Alice's objects are not counted as Bob's
			expect(before.ids).not.toContain(aliceOwns.datasetId);
			expect(before.ids).not.toContain(alice.id);
			const bobFiles = before.documents.storage.map((json) => JSON.parse(json).key as string);
			expect(bobFiles).toEqual(expect.arrayContaining([bobOwns.imageStorageKey]));
			for (const key of bobFiles) expect(filesBefore[key]).toEqual(expect.any(String));
		});

		it("answers A 404 (403 on superuser routes) for B's object on every parameterised route, with a session and with an API token", async () => {
			const problems: string[] = [];
			let calls = 0;
			for (const route of paramRoutes()) {
				const entry = ownedEntryOf(route);
				const victim = entry.params(bobOwns);
				// each parameter in turn B's, the others A's own: a child of B's under A's parent is as hidden
				const combos =
					route.auth === "superuser"
						? [{ values: victim, victimParams: route.params }]
						: mixedParams(route.params, entry.params(aliceOwns), victim);
				for (const combo of combos) {
					for (const attempt of attempts(route)) {
						const answer = await send(route.method, fillPath(route.path, combo.values), { as: attempt.as, body: caseOf(route).body });
						calls += 1;
						problems.push(...refusal(`${routeName(route)} ${JSON.stringify(combo.values)} by ${attempt.how}`, answer, attempt.status));
					}
				}
			}
			expect(problems).toEqual([]);
			expect(calls).toBeGreaterThanOrEqual(2 * paramRoutes().length);
		});

		it("answers A for B's ids exactly as for nonexistent ones (ids cannot be probed), and B 404 for nonexistent ids", async () => {
			const problems: string[] = [];
			const shape = (answer: Answer, ids: string[]) => {
				let detail = String(answer.body?.detail ?? "");
				for (const id of ids) detail = detail.replaceAll(id, "<id>");
				return { status: answer.status, type: answer.body?.type, title: answer.body?.title, detail };
			};
			for (const route of paramRoutes()) {
				const entry = ownedEntryOf(route);
				const body = caseOf(route).body;
				const victim = entry.params(bobOwns);
				const nowhere = Object.fromEntries(route.params.map((name) => [name, NONEXISTENT]));
				if (route.auth === "superuser") {
					// a superuser gets 404 for nothing; a user gets 403 whether or not the id exists
					problems.push(
						...refusal(
							`${routeName(route)} nonexistent by a superuser`,
							await send(route.method, fillPath(route.path, nowhere), { as: admin.jwt, body }),
							404,
						),
					);
					problems.push(
						...refusal(
							`${routeName(route)} nonexistent by A`,
							await send(route.method, fillPath(route.path, nowhere), { as: alice.jwt, body }),
							403,
						),
					);
					continue;
				}
				problems.push(
					...refusal(
						`${routeName(route)} nonexistent by B`,
						await send(route.method, fillPath(route.path, nowhere), { as: bob.jwt, body }),
						404,
					),
				);
				for (const combo of mixedParams(route.params, entry.params(aliceOwns), victim)) {
					const missing = { ...combo.values, ...Object.fromEntries(combo.victimParams.map((name) => [name, NONEXISTENT])) };
					const ofBob = await send(route.method, fillPath(route.path, combo.values), { as: alice.jwt, body });
					const ofNobody = await send(route.method, fillPath(route.path, missing), { as: alice.jwt, body });
					const ids = [...Object.values(victim), NONEXISTENT];
					if (JSON.stringify(shape(ofBob, ids)) !== JSON.stringify(shape(ofNobody, ids))) {
						problems.push(`${routeName(route)} ${JSON.stringify(combo.values)}: B's object ${ofBob.text} but nonexistent ${ofNobody.text}`);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("never shows A any of B's ids in a list, whatever filters A slips into the query", async () => {
			const encoded = (value: unknown) => encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value));
			const b = bobOwns;
			const injections = [
				"",
				"pageSize=100",
				`ownerId=${b.userId}`,
				"ownerId[$ne]=x",
				"ownerId[$exists]=true",
				`ownerId[$in][]=${b.userId}`,
				`ownerId=${b.userId}&ownerId=${alice.id}`,
				`ownerId=${encoded({ $ne: null })}`,
				`userId=${b.userId}`,
				`owner=${b.userId}`,
				`user=${b.userId}`,
				`filter[ownerId]=${b.userId}`,
				`where[ownerId]=${b.userId}`,
				`query=${encoded({ ownerId: b.userId })}`,
				`query[ownerId]=${b.userId}`,
				`filter=${encoded({ ownerId: { $ne: null } })}`,
				`$where=${encoded("function () { return true; }")}`,
				`$or[0][ownerId]=${b.userId}&$or[1][ownerId]=${alice.id}`,
				`$and[0][ownerId][$ne]=x`,
				`projectId=${b.projectId}`,
				"projectId[$ne]=x",
				`projectId=${encoded({ $ne: null })}`,
				`datasetId=${b.datasetId}`,
				"datasetId[$ne]=x",
				`datasetId=${encoded({ $ne: null })}`,
				`jobId=${b.jobId}`,
				"jobId[$ne]=x",
				`id=${b.datasetId}`,
				`_id=${b.datasetId}`,
				"status[$ne]=x",
				"status[$in][]=done&status[$in][]=ready",
				"name[$regex]=.*",
				"name=.*",
				`name=${encoded("') || true || ('")}`,
				`search=${encoded(bob.email)}`,
				`email=${encoded(bob.email)}`,
				"label[$ne]=x",
				"sort=ownerId",
				"fields=ownerId",
				"populate=ownerId",
				"page=0&pageSize=-1",
				`__proto__[ownerId]=${b.userId}`,
				`constructor[prototype][ownerId]=${b.userId}`,
			];
			// lists without a parameter, and lists under a parameter of A's own objects (A's dataset's images…)
			const lists = routes.filter(
				(route) =>
					route.method === "GET" && route.auth === "user" && (route.params.length === 0 || (route.page && !entryOf(route)?.public)),
			);
			expect(lists.filter((route) => route.page).length).toBeGreaterThanOrEqual(8);
			const leaks: string[] = [];
			for (const route of lists) {
				const target = fillPath(route.path, route.params.length > 0 ? ownedEntryOf(route).params(aliceOwns) : {});
				// an API token reaches only routes that declare scopes: the others answer it 403 (checked above)
				const callers: [string, string][] = [["session", alice.jwt]];
				if (route.scopes.length > 0) callers.push(["API token", alice.token]);
				for (const query of injections) {
					for (const [how, as] of callers) {
						const answer = await send("GET", target, { as, query });
						const what = `GET ${target}?${query} with A's ${how}`;
						if (answer.status >= 500) leaks.push(`${what}: ${answer.status}`);
						// A's activity log echoes the ids A's own requests named (B's, in the refused attempts above):
						// there, and only there, they may appear; every entry must be A's own
						const ownActivity = route.path === "/api/v1/activity" && answer.status === 200;
						if (ownActivity && answer.body.items.some((entry: { userId: string }) => entry.userId !== alice.id)) {
							leaks.push(`${what} lists another user's requests: ${answer.text.slice(0, 300)}`);
						}
						const visible = ownActivity
							? JSON.stringify(answer.body.items.map(({ resourceId: _named, ...entry }: Record<string, unknown>) => entry))
							: answer.text;
						const shown = [...bobIds, bob.email].filter((id) => visible.includes(id));
						if (shown.length > 0) leaks.push(`${what} shows ${shown.join(", ")}: ${answer.text.slice(0, 300)}`);
						// the list works for A: A's own objects are in it
						if (query === "" && route.page && !(answer.status === 200 && answer.body.total >= 1 && answer.body.items.length >= 1)) {
							leaks.push(`${what}: A's own list is not a page of A's objects: ${answer.status} ${answer.text.slice(0, 200)}`);
						}
					}
				}
			}
			expect(leaks).toEqual([]);
			// the check would see B's ids where they belong: a superuser's list of every build shows B's
			const everyBuild = await send("GET", "/api/v1/admin/jobs", { as: admin.jwt, query: "pageSize=100" });
			expect(bobIds.filter((id) => everyBuild.text.includes(id))).toContain(bobOwns.jobId);
		});

		it("refuses every superuser route to A's session (403), A's API token (403) and anonymous callers (401)", async () => {
			const superuserRoutes = routes.filter((route) => route.auth === "superuser");
			expect(superuserRoutes.length).toBeGreaterThanOrEqual(8);
			const problems: string[] = [];
			for (const route of superuserRoutes) {
				const target = fillPath(route.path, route.params.length > 0 ? ownedEntryOf(route).params(bobOwns) : {});
				const body = route.params.length > 0 ? caseOf(route).body : undefined;
				problems.push(...refusal(`${routeName(route)} by A's session`, await send(route.method, target, { as: alice.jwt, body }), 403));
				problems.push(...refusal(`${routeName(route)} by A's API token`, await send(route.method, target, { as: alice.token, body }), 403));
				problems.push(...refusal(`${routeName(route)} anonymously`, await send(route.method, target, { body }), 401));
			}
			expect(problems).toEqual([]);
		});

		it("answers 401 on every route that is not public to a caller without credentials or with a made-up one", async () => {
			const closed = routes.filter((route) => route.auth !== "public");
			expect(closed.length).toBeGreaterThanOrEqual(40);
			const problems: string[] = [];
			for (const route of closed) {
				const entry = entryOf(route) as OwnedRoute | undefined;
				const target = fillPath(route.path, route.params.length > 0 ? (entry as OwnedRoute).params(bobOwns) : {});
				const body = entry?.methods?.[route.method]?.body;
				problems.push(...refusal(`${routeName(route)} anonymously`, await send(route.method, target, { body }), 401));
				problems.push(
					...refusal(
						`${routeName(route)} with a made-up token`,
						await send(route.method, target, { as: "made-up-token-0123456789", body }),
						401,
					),
				);
			}
			expect(problems).toEqual([]);
		});

		it("refuses A's writes that name B's objects in the body or the query", async () => {
			const definition = { name: "mine", categories: [{ label: "cat", urls: [`${web.url}/img/cat/9.jpg`] }], sources: ["urls"] };
			const cases: [Method, string, Record<string, unknown>, string | undefined, number][] = [
				["POST", "/api/v1/datasets", { ...definition, projectId: bobOwns.projectId }, undefined, 404],
				["PATCH", `/api/v1/datasets/${aliceOwns.datasetId}`, { projectId: bobOwns.projectId }, undefined, 404],
				["POST", "/api/v1/datasets", { ...definition, ownerId: bob.id }, undefined, 422],
				["PATCH", `/api/v1/projects/${aliceOwns.projectId}`, { name: "x" }, `ownerId=${bob.id}`, 422],
				["PATCH", `/api/v1/auth/me`, { name: "x" }, `id=${bob.id}`, 422],
			];
			const problems: string[] = [];
			for (const [method, target, body, query, status] of cases) {
				for (const as of [alice.jwt, alice.token]) {
					const answer = await send(method, target, { as, body, query });
					// an account route refuses API tokens outright
					const expected = target === "/api/v1/auth/me" && as === alice.token ? 403 : status;
					problems.push(...refusal(`${method} ${target}?${query ?? ""} ${JSON.stringify(body)}`, answer, expected));
				}
			}
			// the path names the object: an id in the query does not redirect the write to B's dataset
			for (const as of [alice.jwt, alice.token]) {
				const answer = await send("PATCH", `/api/v1/datasets/${aliceOwns.datasetId}`, {
					as,
					body: { description: "x" },
					query: `id=${bobOwns.datasetId}`,
				});
				expect([answer.status, answer.body?.id]).toEqual([200, aliceOwns.datasetId]);
			}
			expect(problems).toEqual([]);
		});

		it("gives out signed links and documentation files only as their public routes intend", async () => {
			const publicEntries = Object.entries(TABLE).filter(([, entry]) => entry.public) as [string, PublicRoute][];
			expect(publicEntries.map(([template]) => template)).toEqual(["/api/v1/files/:token", "/docs/assets/:file"]);
			for (const [, entry] of publicEntries) await entry.probe();
		});

		it("serves no method a route does not declare: HEAD, OPTIONS and undeclared verbs on B's objects answer 404", async () => {
			const problems: string[] = [];
			for (const template of new Set(paramRoutes().map((route) => route.path))) {
				const served = new Set(routes.filter((route) => route.path === template).map((route) => route.method as string));
				const target = fillPath(template, ownedEntryOf({ path: template } as Route).params(bobOwns));
				for (const method of ["HEAD", "OPTIONS", "GET", "POST", "PUT", "PATCH", "DELETE"].filter((verb) => !served.has(verb))) {
					for (const as of [alice.jwt, alice.token]) {
						const res = await fetch(`${gateway.url}${target}`, { method, headers: { Authorization: `Bearer ${as}` } });
						await res.arrayBuffer();
						if (res.status !== 404) problems.push(`${method} ${template} on B's object: ${res.status}`);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("leaves B's stored documents and files byte-identical", async () => {
			const after = await documentsOf(ownedRepositories(), bob.id);
			expect(after.documents).toEqual(before.documents);
			expect([...after.ids].sort()).toEqual([...before.ids].sort());
			expect(filesUnder(storageRoot())).toEqual(filesBefore);
		});
	});

	describe("the routes work for their owners (the refusals above are not refusals of everyone)", () => {
		it("lets B (a superuser on superuser routes) do on B's objects what A was refused, while A is still refused", async () => {
			const problems: string[] = [];
			const ordered = [...paramRoutes()].sort((one, other) => caseOf(one).control.order - caseOf(other).control.order);
			for (const route of ordered) {
				const { control, body } = caseOf(route);
				const values = control.prepare ? await control.prepare() : ownedEntryOf(route).params(bobOwns);
				const target = fillPath(route.path, values);
				// A again, on the state the owner's call needs (a running build, a dead task): still refused, and it changes nothing
				for (const attempt of attempts(route)) {
					problems.push(
						...refusal(`${routeName(route)} by ${attempt.how}`, await send(route.method, target, { as: attempt.as, body }), attempt.status),
					);
				}
				const owner = route.auth === "superuser" ? admin.jwt : bob.jwt;
				const answer = await send(route.method, target, { as: owner, body });
				if (answer.status !== control.status) {
					problems.push(`${routeName(route)} by its owner: expected ${control.status}, got ${answer.status} ${answer.text.slice(0, 200)}`);
				}
			}
			expect(problems).toEqual([]);
		});

		it("lets a superuser use every superuser route without a parameter", async () => {
			const problems: string[] = [];
			for (const route of routes.filter((candidate) => candidate.auth === "superuser" && candidate.params.length === 0)) {
				const answer = await send(route.method, route.path, { as: admin.jwt });
				if (answer.status !== 200) problems.push(`${routeName(route)}: ${answer.status} ${answer.text.slice(0, 200)}`);
			}
			expect(problems).toEqual([]);
		});
	});
});
