/**
 * The Kubernetes manifests (k8s/): each overlay renders offline with kubectl's built-in kustomize, every
 * object is valid for its Kubernetes schema (kubernetes-models), and what the platform relies on holds —
 * read from the code wherever the code knows it: the gateway's probe routes, the broker's shutdown
 * timeout, the task channels' drain time, the start-up checks' servers, the configuration schema.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IService } from "kubernetes-models/v1/Service";
import { parse, parseAllDocuments } from "yaml";
import { serviceFiles } from "../../../bin/service-files";
import { type Config, type Environment, loadConfig } from "../../../lib/config";
import { dependenciesOf } from "../../../lib/preflight";
import { projectRoot } from "../../../lib/project";
import { brokerOptions } from "../../../moleculer.config";
import { createApiService } from "../../../services/api.service";
import { TASK_TYPES } from "../../../services/crawl/tasks/registry";

const K8S = path.join(projectRoot, "k8s");
const SECRET_NAME = "pixcrawler-secrets";
const OVERLAYS = [
	{ name: "dev", namespace: "pixcrawler-dev", natsReplicas: 1 },
	{ name: "prod", namespace: "pixcrawler", natsReplicas: 3 },
] as const;
/** Seconds a stopping process needs beyond the sums below (closing connections, flushing logs). */
const STOP_MARGIN_SECONDS = 10;
/** Services that keep records in the database (lib/preflight.ts checks MongoDB for the same ones). */
const DATABASE_SERVICES = new Set(["auth", "dataset", "crawl", "storage", "notify"]);
/** Ports a crawler fetches from and webhooks are sent to; only the crawl workers and notify may reach them on the internet. */
const WEB_PORTS = [80, 443];
/** The services that reach the internet: crawl workers fetch search pages and images, notify sends webhooks. */
const INTERNET_SERVICES = new Set(["crawl-worker", "notify"]);

/** Stand-ins for the Secret's values: shaped like real ones so the configuration parses them. */
const DUMMY_SECRETS: Record<string, string> = {
	AUTH_JWT_SECRET: "k8s-test-jwt-secret-0123456789abcdefghijklmnop",
	STORAGE_SIGNING_SECRET: "k8s-test-signing-secret-0123456789abcdefghij",
	MONGO_URI: "mongodb://pixcrawler:secret@mongodb.example:27017/pixcrawler?replicaSet=rs0",
	REDIS_URL: "redis://:secret@redis.example:6379",
	NATS_USER: "pixcrawler",
	NATS_PASSWORD: "secret",
	NATS_TOKEN: "",
	STORAGE_S3_ACCESS_KEY_ID: "AKIAK8STEST",
	STORAGE_S3_SECRET_ACCESS_KEY: "secret",
	CRAWL_KEYWORDS_LLM_API_KEY: "sk-k8s-test",
};

/** Kinds the manifests may use; each is checked with its kubernetes-models class. */
const KNOWN_KINDS = new Set([
	"v1/Namespace",
	"v1/ServiceAccount",
	"v1/ConfigMap",
	"v1/Secret",
	"v1/Service",
	"v1/PersistentVolumeClaim",
	"apps/v1/Deployment",
	"apps/v1/StatefulSet",
	"policy/v1/PodDisruptionBudget",
	"autoscaling/v2/HorizontalPodAutoscaler",
	"networking.k8s.io/v1/Ingress",
	"networking.k8s.io/v1/NetworkPolicy",
]);

interface K8sObject {
	apiVersion: string;
	kind: string;
	metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
	[field: string]: unknown;
}
type Workload = (IDeployment | IStatefulSet) & K8sObject;
type Selector = NonNullable<IPodDisruptionBudget["spec"]>["selector"];
type Labels = Record<string, string>;

// ---------------------------------------------------------------------------------------------- rendering

function render(directory: string): K8sObject[] {
	let output: string;
	try {
		output = execFileSync("kubectl", ["kustomize", directory], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (error) {
		const { code, stderr } = error as { code?: string; stderr?: string };
		if (code === "ENOENT") {
			throw new Error("kubectl is not on PATH: these tests render k8s/ with `kubectl kustomize` (kubectl 1.27 or later) and never skip");
		}
		throw new Error(`kubectl kustomize ${path.relative(projectRoot, directory)} failed: ${stderr ?? error}`);
	}
	const documents = parseAllDocuments(output);
	const objects: K8sObject[] = [];
	for (const document of documents) {
		if (document.errors.length > 0) throw new Error(`unparsable YAML from kustomize: ${document.errors[0].message}`);
		const object = document.toJS() as K8sObject | null;
		if (object) objects.push(object);
	}
	return objects;
}

/** The kubernetes-models module of an object's class; an unknown kind fails the test. */
function modelModule(object: K8sObject): string {
	const key = `${object.apiVersion}/${object.kind}`;
	if (!KNOWN_KINDS.has(key)) throw new Error(`${object.kind} ${object.metadata?.name}: no model for ${key} (add it to KNOWN_KINDS)`);
	return `kubernetes-models/${key}`;
}

// kubernetes-models ships ES modules only, which jest's CommonJS loader cannot import: a node child
// process validates instead (new Model(object).validate(), as an application would).
const VALIDATOR = `
import { readFileSync } from "node:fs";
const problems = [];
for (const { module, object } of JSON.parse(readFileSync(0, "utf8"))) {
	const Model = (await import(module))[object.kind];
	if (typeof Model !== "function") { problems.push(module + " exports no class " + object.kind); continue; }
	try { new Model(object).validate(); } catch (error) { problems.push(object.kind + " " + object.metadata?.name + ": " + error.message); }
}
process.stdout.write(JSON.stringify(problems));
`;

function schemaProblems(objects: K8sObject[]): string[] {
	const items = objects.map((object) => ({ module: modelModule(object), object }));
	const output = execFileSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", VALIDATOR], {
		cwd: projectRoot,
		input: JSON.stringify(items),
		encoding: "utf8",
	});
	return JSON.parse(output) as string[];
}

// ---------------------------------------------------------------------------------------------- helpers

const ofKind = <T>(objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind) as (T & K8sObject)[];
const workloads = (objects: K8sObject[]) =>
	[...ofKind<IDeployment>(objects, "Deployment"), ...ofKind<IStatefulSet>(objects, "StatefulSet")] as Workload[];
const podSpec = (workload: Workload): IPodSpec => workload.spec?.template.spec as IPodSpec;
const podLabels = (workload: Workload): Labels => (workload.spec?.template.metadata?.labels ?? {}) as Labels;
const isPixCrawler = (workload: Workload) => podLabels(workload)["app.kubernetes.io/name"] === "pixcrawler";
const component = (workload: Workload) => podLabels(workload)["app.kubernetes.io/component"];
const pixCrawlerDeployments = (objects: K8sObject[]) => workloads(objects).filter(isPixCrawler);

function selects(selector: Selector | undefined, labels: Labels): boolean {
	if (!selector) return false;
	for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
	for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
		const has = key in labels;
		if (operator === "In" && !(has && values.includes(labels[key]))) return false;
		if (operator === "NotIn" && has && values.includes(labels[key])) return false;
		if (operator === "Exists" && !has) return false;
		if (operator === "DoesNotExist" && has) return false;
	}
	return true;
}

function parseQuantity(value: string | number): number {
	const text = String(value);
	const units: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
	const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
	if (!match || (match[2] && !(match[2] in units))) throw new Error(`unreadable quantity ${text}`);
	return Number(match[1]) * (match[2] ? units[match[2]] : 1);
}

function configMaps(objects: K8sObject[]): Map<string, Record<string, string>> {
	return new Map(ofKind<IConfigMap>(objects, "ConfigMap").map((map) => [map.metadata.name, (map.data ?? {}) as Record<string, string>]));
}

/** What the container's process sees: ConfigMaps loaded whole, literals, and the Secret's keys as stand-ins. */
function containerEnvironment(container: IContainer, maps: Map<string, Record<string, string>>): Environment {
	const env: Environment = {};
	for (const source of container.envFrom ?? []) {
		const name = source.configMapRef?.name;
		if (!name) throw new Error(`${container.name}: only ConfigMaps are loaded whole; secrets are referenced key by key`);
		const data = maps.get(name);
		if (!data) throw new Error(`${container.name}: ConfigMap ${name} is not part of the overlay`);
		Object.assign(env, data);
	}
	for (const variable of container.env ?? []) {
		if (variable.value !== undefined) env[variable.name] = variable.value;
		const secret = variable.valueFrom?.secretKeyRef;
		if (secret) {
			if (!(secret.key in DUMMY_SECRETS)) throw new Error(`${container.name}: secret key ${secret.key} has no stand-in in DUMMY_SECRETS`);
			env[variable.name] = DUMMY_SECRETS[secret.key];
		}
		const mapKey = variable.valueFrom?.configMapKeyRef;
		if (mapKey?.name) env[variable.name] = maps.get(mapKey.name)?.[mapKey.key];
	}
	return env;
}

function containerConfig(container: IContainer, objects: K8sObject[]): Config {
	return loadConfig(containerEnvironment(container, configMaps(objects)));
}

function documentedVariables(): Set<string> {
	const text = fs.readFileSync(path.join(projectRoot, "docs", "configuration.md"), "utf8");
	const table = text.slice(text.indexOf("<!-- config-table:start -->"), text.indexOf("<!-- config-table:end -->"));
	return new Set([...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]));
}

function probeWindowSeconds(probe: IProbe): number {
	return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

function containerPortNumber(container: IContainer, port: string | number | undefined): number | undefined {
	if (typeof port === "number") return port;
	return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** The longest task timeout of the channels the given services consume: what a stopping node may drain. */
async function channelDrainSeconds(services: string[]): Promise<number> {
	let longest = 0;
	for (const file of serviceFiles(path.join(projectRoot, "services"), services)) {
		const schema = (await import(file)).default as { channels?: Record<string, unknown>; mixins?: unknown[] };
		const pending: { channels?: Record<string, unknown>; mixins?: unknown[] }[] = [schema];
		while (pending.length > 0) {
			const current = pending.pop() ?? {};
			for (const channel of Object.keys(current.channels ?? {})) {
				const task = Object.values(TASK_TYPES).find((type) => type.channel === channel);
				if (!task) throw new Error(`channel ${channel} is no task type: add its longest run to this test`);
				longest = Math.max(longest, task.timeoutMs);
			}
			pending.push(...((current.mixins ?? []) as typeof pending));
		}
	}
	return longest / 1000;
}

/** The TCP ports each server named by the start-up checks listens on, from the configuration. */
function dependencyPorts(config: Config): { name: string; port: number }[] {
	const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback);
	return dependenciesOf(config).flatMap((dependency) => {
		switch (dependency.name) {
			case "NATS transporter":
				return config.transporter.url.split(",").map((server) => ({ name: dependency.name, port: portOf(server.trim(), 4222) }));
			case "MongoDB":
				return [{ name: dependency.name, port: portOf(config.mongo.uri ?? "", 27017) }];
			case "Redis":
				return [{ name: dependency.name, port: portOf(config.redis.url ?? "", 6379) }];
			case "S3 storage":
				return [{ name: dependency.name, port: config.storage.s3Endpoint ? portOf(config.storage.s3Endpoint, 443) : 443 }];
			default:
				throw new Error(`start-up dependency ${dependency.name} is new: teach this test its port`);
		}
	});
}

type Direction = "ingress" | "egress";
interface AllowedRule {
	policy: string;
	ports: (number | "any")[];
	peers?: INetworkPolicyPeer[];
}

/** Rules of the policies that select a pod, in one direction, with named ports resolved. */
function allowedRules(objects: K8sObject[], workload: Workload, direction: Direction): AllowedRule[] {
	const labels = podLabels(workload);
	const containers = podSpec(workload).containers;
	const resolve = (port: string | number | undefined): number | "any" => {
		if (port === undefined) return "any";
		for (const container of containers) {
			const number = containerPortNumber(container, port);
			if (number !== undefined) return number;
		}
		return typeof port === "number" ? port : Number.NaN;
	};
	const rules: AllowedRule[] = [];
	for (const policy of ofKind<INetworkPolicy>(objects, "NetworkPolicy")) {
		const spec = policy.spec;
		if (!spec || !selects(spec.podSelector, labels)) continue;
		const types = spec.policyTypes ?? ["Ingress"];
		if (!types.includes(direction === "ingress" ? "Ingress" : "Egress")) continue;
		const list = direction === "ingress" ? (spec.ingress ?? []) : (spec.egress ?? []);
		for (const rule of list) {
			const peers = direction === "ingress" ? (rule as { from?: INetworkPolicyPeer[] }).from : (rule as { to?: INetworkPolicyPeer[] }).to;
			rules.push({
				policy: policy.metadata.name,
				ports: rule.ports?.length ? rule.ports.map((port) => resolve(port.port)) : ["any"],
				peers,
			});
		}
	}
	return rules;
}

const allows = (rules: AllowedRule[], port: number) => rules.some((rule) => rule.ports.includes(port) || rule.ports.includes("any"));

/** Whether an Ingress path answers a request path (Exact, or Prefix by whole path elements). */
function ingressServes(ingress: IIngress, requestPath: string): boolean {
	return (ingress.spec?.rules ?? []).some((rule) =>
		(rule.http?.paths ?? []).some(({ path: rulePath = "/", pathType }) => {
			if (pathType === "Exact") return requestPath === rulePath;
			const prefix = rulePath.replace(/\/$/, "");
			return requestPath === prefix || requestPath.startsWith(`${prefix}/`) || prefix === "";
		}),
	);
}

/** "GET health" on route "/" → "/health": the gateway's declared HTTP paths. */
function gatewayRoutes(config: Config): { routes: { path: string; aliases?: Record<string, string> }[]; paths: Set<string> } {
	const settings = createApiService(config).settings as { routes: { path: string; aliases?: Record<string, string> }[] };
	const paths = new Set<string>();
	for (const route of settings.routes) {
		for (const alias of Object.keys(route.aliases ?? {})) {
			const [method, aliasPath] = alias.split(" ");
			if (method === "GET") paths.add(`${route.path.replace(/\/$/, "")}/${aliasPath}`.replace(/\/+/g, "/"));
		}
	}
	return { routes: settings.routes, paths };
}

// ---------------------------------------------------------------------------------------------- tests

describe("the schema check itself", () => {
	it("rejects an object that breaks its Kubernetes schema (so a pass means something)", () => {
		const broken: K8sObject = {
			apiVersion: "apps/v1",
			kind: "Deployment",
			metadata: { name: "broken" },
			spec: { selector: {}, template: { spec: { containers: [{ name: "x", resources: { limits: { cpu: "lots" } } }] } } },
		};
		expect(schemaProblems([broken])).toEqual([expect.stringContaining("quantity")]);
	});

	it("refuses kinds it has no model for", () => {
		expect(() => modelModule({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toThrow(/no model/);
	});
});

describe("k8s/base", () => {
	it("renders on its own and every object is valid for its schema", () => {
		expect(schemaProblems(render(path.join(K8S, "base")))).toEqual([]);
	});
});

describe.each(OVERLAYS)("k8s/overlays/$name", (overlay) => {
	let objects: K8sObject[];
	beforeAll(() => {
		objects = render(path.join(K8S, "overlays", overlay.name));
	});

	it("renders, and every object is valid for its Kubernetes schema", () => {
		expect(objects.length).toBeGreaterThan(20);
		expect(schemaProblems(objects)).toEqual([]);
	});

	it("puts everything in its namespace, which enforces the restricted Pod Security Standard", () => {
		const namespaces = ofKind<K8sObject>(objects, "Namespace");
		expect(namespaces.map((namespace) => namespace.metadata.name)).toEqual([overlay.namespace]);
		expect(namespaces[0].metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
		for (const object of objects.filter((candidate) => candidate.kind !== "Namespace")) {
			expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toBe(
				`${object.kind}/${object.metadata.name} in ${overlay.namespace}`,
			);
		}
	});

	it("runs one Deployment per service, with the service's name in SERVICES", () => {
		const deployments = pixCrawlerDeployments(objects);
		const available = serviceFiles(path.join(projectRoot, "services"), []).map((file) => path.basename(file).replace(/\.service\.ts$/, ""));
		expect(deployments.map(component).sort()).toEqual([...available].sort());
		for (const deployment of deployments) {
			expect(deployment.kind).toBe("Deployment");
			const [container] = podSpec(deployment).containers;
			expect(containerConfig(container, objects).global.services).toEqual([component(deployment)]);
		}
	});

	it("labels every object as part of pixcrawler, and every workload, pod and Service with its app name", () => {
		for (const object of objects) {
			expect([object.kind, object.metadata.name, object.metadata.labels?.["app.kubernetes.io/part-of"]]).toEqual([
				object.kind,
				object.metadata.name,
				"pixcrawler",
			]);
		}
		for (const object of [...workloads(objects), ...ofKind<IService>(objects, "Service")]) {
			expect([object.metadata.name, object.metadata.labels?.["app.kubernetes.io/name"]]).toEqual([
				object.metadata.name,
				expect.any(String),
			]);
		}
		for (const workload of workloads(objects)) {
			expect(podLabels(workload)).toMatchObject({
				"app.kubernetes.io/name": expect.any(String),
				"app.kubernetes.io/part-of": "pixcrawler",
			});
		}
	});

	it("gives every container requests and limits (requests within limits) and all three probes", () => {
		for (const workload of workloads(objects)) {
			for (const container of podSpec(workload).containers) {
				const where = `${workload.metadata.name}/${container.name}`;
				const { requests = {}, limits = {} } = container.resources ?? {};
				for (const resource of ["cpu", "memory"]) {
					expect([where, resource, requests[resource] !== undefined, limits[resource] !== undefined]).toEqual([
						where,
						resource,
						true,
						true,
					]);
					expect([where, resource, parseQuantity(requests[resource]) <= parseQuantity(limits[resource])]).toEqual([where, resource, true]);
				}
				expect([where, Boolean(container.startupProbe), Boolean(container.livenessProbe), Boolean(container.readinessProbe)]).toEqual([
					where,
					true,
					true,
					true,
				]);
			}
		}
	});

	it("runs every container as a non-root user on a read-only root filesystem, without privilege escalation or capabilities", () => {
		for (const workload of workloads(objects)) {
			const pod = podSpec(workload);
			expect([workload.metadata.name, pod.automountServiceAccountToken, pod.enableServiceLinks]).toEqual([
				workload.metadata.name,
				false,
				false,
			]);
			for (const container of pod.containers) {
				const own = container.securityContext ?? {};
				const effective = {
					runAsNonRoot: own.runAsNonRoot ?? pod.securityContext?.runAsNonRoot,
					runAsUser: own.runAsUser ?? pod.securityContext?.runAsUser,
					seccomp: (own.seccompProfile ?? pod.securityContext?.seccompProfile)?.type,
					readOnlyRootFilesystem: own.readOnlyRootFilesystem,
					allowPrivilegeEscalation: own.allowPrivilegeEscalation,
					privileged: own.privileged ?? false,
					drop: own.capabilities?.drop ?? [],
					add: own.capabilities?.add ?? [],
				};
				expect([workload.metadata.name, effective]).toEqual([
					workload.metadata.name,
					{
						runAsNonRoot: true,
						runAsUser: expect.any(Number),
						seccomp: "RuntimeDefault",
						readOnlyRootFilesystem: true,
						allowPrivilegeEscalation: false,
						privileged: false,
						drop: ["ALL"],
						add: [],
					},
				]);
				expect(effective.runAsUser).toBeGreaterThan(0);
				// The image runs as uid 1000; a different uid would not own the image's files.
				if (isPixCrawler(workload)) expect(effective.runAsUser).toBe(1000);
			}
		}
	});

	it("uses service accounts of the overlay that mount no API token", () => {
		const accounts = new Map(
			ofKind<K8sObject & { automountServiceAccountToken?: boolean }>(objects, "ServiceAccount").map((a) => [a.metadata.name, a]),
		);
		for (const workload of workloads(objects)) {
			const account = accounts.get(podSpec(workload).serviceAccountName ?? "default");
			expect([workload.metadata.name, account?.automountServiceAccountToken]).toEqual([workload.metadata.name, false]);
		}
	});

	it("probes the gateway on routes the gateway declares, on the port it listens on", () => {
		const api = pixCrawlerDeployments(objects).find((deployment) => component(deployment) === "api") as Workload;
		const [container] = podSpec(api).containers;
		const config = containerConfig(container, objects);
		const { paths } = gatewayRoutes(config);
		const probes = { startup: container.startupProbe, liveness: container.livenessProbe, readiness: container.readinessProbe };
		expect(Object.fromEntries(Object.entries(probes).map(([kind, probe]) => [kind, probe?.httpGet?.path]))).toEqual({
			startup: "/health",
			liveness: "/health",
			readiness: "/health/ready",
		});
		for (const probe of Object.values(probes)) {
			expect(paths).toContain(probe?.httpGet?.path);
			expect(containerPortNumber(container, probe?.httpGet?.port)).toBe(config.gateway.port);
		}
	});

	it("probes every other node on its own probe port (node probes middleware) and scrapes its own metrics port", () => {
		for (const deployment of pixCrawlerDeployments(objects).filter((candidate) => component(candidate) !== "api")) {
			const [container] = podSpec(deployment).containers;
			const config = containerConfig(container, objects);
			const name = deployment.metadata.name;
			expect([name, config.global.probePort]).toEqual([name, expect.any(Number)]);
			expect(config.global.probePort).toBeGreaterThan(0);
			// the broker of that pod really runs the middleware that answers the probes
			expect((brokerOptions(config).middlewares ?? []).map((middleware) => (middleware as { name?: string }).name)).toContain("NodeProbes");
			const paths = [container.startupProbe, container.livenessProbe, container.readinessProbe].map((probe) => probe?.httpGet?.path);
			expect([name, paths]).toEqual([name, ["/health", "/health", "/health/ready"]]);
			for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
				expect(containerPortNumber(container, probe?.httpGet?.port)).toBe(config.global.probePort);
			}
			expect(config.global.metricsPort).toBeGreaterThan(0);
			expect(config.global.metricsPort).not.toBe(config.global.probePort);
			expect(brokerOptions(config).metrics).toMatchObject({
				reporter: [{ type: "Prometheus", options: { port: config.global.metricsPort } }],
			});
		}
	});

	it("lets start-up probes outlast the start-up checks, and grace periods outlast preStop, broker shutdown and channel drain", async () => {
		for (const deployment of pixCrawlerDeployments(objects)) {
			const pod = podSpec(deployment);
			const [container] = pod.containers;
			const config = containerConfig(container, objects);
			const name = deployment.metadata.name;
			expect([
				name,
				probeWindowSeconds(container.startupProbe as IProbe) > config.global.startupTimeoutMs / 1000 + STOP_MARGIN_SECONDS,
			]).toEqual([name, true]);
			const shutdownTimeout = brokerOptions(config).tracking?.shutdownTimeout as number;
			expect(shutdownTimeout).toBe(config.global.shutdownTimeoutMs);
			const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
			const needed = preStop + shutdownTimeout / 1000 + (await channelDrainSeconds(config.global.services)) + STOP_MARGIN_SECONDS;
			expect([name, pod.terminationGracePeriodSeconds]).toEqual([name, expect.any(Number)]);
			expect([name, (pod.terminationGracePeriodSeconds as number) >= needed]).toEqual([name, true]);
			expect(pod.terminationGracePeriodSeconds as number).toBeGreaterThan(shutdownTimeout / 1000);
		}
	});

	it("loads the configuration of every pod under PIXCRAWLER_ENV=production, with the servers each one needs", () => {
		for (const deployment of pixCrawlerDeployments(objects)) {
			const pod = podSpec(deployment);
			const [container] = pod.containers;
			const config = containerConfig(container, objects);
			const name = component(deployment);
			expect(config.global.env).toBe("production");
			expect(config.transporter.url).toMatch(/^nats:\/\//);
			expect(config.crawl.allowPrivateNetworks).toBe(false);
			// NeDB on a read-only filesystem would fail at start: every record-keeping service uses MongoDB.
			if (DATABASE_SERVICES.has(name)) expect([name, config.mongo.uri]).toEqual([name, expect.stringMatching(/^mongodb/)]);
			// Local files only on a volume of that pod.
			if (name === "storage" && config.storage.driver === "local") {
				const mounts = (container.volumeMounts ?? []).filter((mount) => !mount.readOnly).map((mount) => mount.mountPath);
				expect(mounts).toContain(config.storage.localDir ?? config.global.dataDir);
			}
		}
	});

	it("names only documented variables, and takes each secret from pixcrawler-secrets under its own name", () => {
		const documented = documentedVariables();
		expect(documented.size).toBeGreaterThan(50);
		const maps = configMaps(objects);
		for (const deployment of pixCrawlerDeployments(objects)) {
			for (const container of podSpec(deployment).containers) {
				for (const source of container.envFrom ?? []) {
					for (const key of Object.keys(maps.get(source.configMapRef?.name ?? "") ?? {})) expect(documented).toContain(key);
				}
				for (const variable of container.env ?? []) {
					expect(documented).toContain(variable.name);
					const secret = variable.valueFrom?.secretKeyRef;
					if (secret) expect([variable.name, secret.name, secret.key]).toEqual([variable.name, SECRET_NAME, variable.name]);
				}
			}
		}
	});

	it("commits no secret values: no Secret with data is rendered", () => {
		for (const secret of ofKind<K8sObject & { data?: object; stringData?: object }>(objects, "Secret")) {
			expect([secret.metadata.name, Object.keys(secret.data ?? {}), Object.keys(secret.stringData ?? {})]).toEqual([
				secret.metadata.name,
				[],
				[],
			]);
		}
	});

	it("exposes only the gateway: one ClusterIP Service for PixCrawler pods, behind the Ingress, without /metrics", () => {
		const services = ofKind<IService>(objects, "Service");
		expect(services.filter((service) => service.spec?.type === "LoadBalancer" || service.spec?.type === "NodePort")).toEqual([]);
		const deployments = pixCrawlerDeployments(objects);
		const pixCrawlerServices = services.filter((service) =>
			deployments.some((deployment) => service.spec?.selector && selects({ matchLabels: service.spec.selector }, podLabels(deployment))),
		);
		expect(pixCrawlerServices.map((service) => service.metadata.name)).toEqual(["pixcrawler-api"]);
		const [gatewayService] = pixCrawlerServices;
		expect(gatewayService.spec?.type ?? "ClusterIP").toBe("ClusterIP");
		const api = deployments.find((deployment) => component(deployment) === "api") as Workload;
		const selected = deployments.filter((deployment) =>
			selects({ matchLabels: gatewayService.spec?.selector ?? {} }, podLabels(deployment)),
		);
		expect(selected).toEqual([api]);
		const [container] = podSpec(api).containers;
		const config = containerConfig(container, objects);
		const [servicePort] = gatewayService.spec?.ports ?? [];
		expect(containerPortNumber(container, servicePort.targetPort)).toBe(config.gateway.port);

		const ingresses = ofKind<IIngress>(objects, "Ingress");
		expect(ingresses).toHaveLength(1);
		const [ingress] = ingresses;
		for (const rule of ingress.spec?.rules ?? []) {
			for (const { backend } of rule.http?.paths ?? []) {
				expect(backend.service).toEqual({ name: gatewayService.metadata.name, port: { name: servicePort.name } });
			}
		}
		const { routes, paths } = gatewayRoutes(config);
		const apiRoute = routes.find((route) => route.path !== "/") as { path: string };
		expect(ingressServes(ingress, `${apiRoute.path}/datasets`)).toBe(true);
		for (const publicPath of ["/health", "/docs", "/redoc"]) {
			expect(paths).toContain(publicPath);
			expect([publicPath, ingressServes(ingress, publicPath)]).toEqual([publicPath, true]);
		}
		for (const internalPath of ["/metrics", "/health/ready"])
			expect([internalPath, ingressServes(ingress, internalPath)]).toEqual([internalPath, false]);
	});

	it("denies all traffic by default and admits only the ingress controller to the gateway (and Prometheus to metrics ports)", () => {
		const policies = ofKind<INetworkPolicy>(objects, "NetworkPolicy");
		const defaultDeny = policies.filter(
			(policy) =>
				Object.keys(policy.spec?.podSelector ?? {}).length === 0 &&
				!policy.spec?.ingress?.length &&
				!policy.spec?.egress?.length &&
				policy.spec?.policyTypes?.includes("Ingress") &&
				policy.spec?.policyTypes?.includes("Egress"),
		);
		expect(defaultDeny).toHaveLength(1);
		for (const deployment of pixCrawlerDeployments(objects)) {
			const [container] = podSpec(deployment).containers;
			const config = containerConfig(container, objects);
			const rules = allowedRules(objects, deployment, "ingress");
			const admitted = new Set(rules.flatMap((rule) => rule.ports));
			if (component(deployment) === "api") {
				expect([...admitted]).toEqual([config.gateway.port]);
				const fromController = rules.filter((rule) =>
					rule.peers?.some((peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx"),
				);
				expect(fromController.map((rule) => rule.ports)).toEqual([[config.gateway.port]]);
			} else {
				expect([deployment.metadata.name, [...admitted]]).toEqual([deployment.metadata.name, [config.global.metricsPort]]);
			}
			// every rule names its peers: none admits everyone
			for (const rule of rules) expect([rule.policy, (rule.peers?.length ?? 0) > 0]).toEqual([rule.policy, true]);
		}
	});

	it("lets every pod reach the servers its start-up checks name, and only crawl workers and notify the web", () => {
		for (const deployment of pixCrawlerDeployments(objects)) {
			const [container] = podSpec(deployment).containers;
			const config = containerConfig(container, objects);
			const egress = allowedRules(objects, deployment, "egress");
			for (const { name, port } of dependencyPorts(config)) {
				expect([deployment.metadata.name, name, port, allows(egress, port)]).toEqual([deployment.metadata.name, name, port, true]);
			}
			expect(egress.some((rule) => rule.ports.includes("any"))).toBe(false);
			if (INTERNET_SERVICES.has(component(deployment))) {
				for (const port of WEB_PORTS) expect(allows(egress, port)).toBe(true);
				// the internet, not the cluster's or the cloud's private and metadata addresses
				const web = egress.filter((rule) => rule.ports.includes(80));
				for (const rule of web) {
					for (const peer of rule.peers ?? []) {
						if (peer.ipBlock?.cidr === "0.0.0.0/0")
							expect(peer.ipBlock.except).toEqual(
								expect.arrayContaining(["10.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]),
							);
					}
				}
			} else {
				expect([deployment.metadata.name, allows(egress, 80)]).toEqual([deployment.metadata.name, false]);
			}
		}
	});

	it("reaches the transporter through a Service of the overlay", () => {
		const [deployment] = pixCrawlerDeployments(objects);
		const config = containerConfig(podSpec(deployment).containers[0], objects);
		for (const server of config.transporter.url.split(",")) {
			const url = new URL(server.trim());
			const service = ofKind<IService>(objects, "Service").find((candidate) => candidate.metadata.name === url.hostname);
			expect(service?.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
		}
	});

	it("runs NATS with JetStream on a claimed volume, one server per node, clustered as wide as its replicas", () => {
		const [nats] = ofKind<IStatefulSet>(objects, "StatefulSet").filter((set) => set.metadata.name === "nats");
		expect(nats.spec?.replicas).toBe(overlay.natsReplicas);
		expect(nats.spec?.volumeClaimTemplates?.map((claim) => claim.metadata?.name)).toEqual(["data"]);
		expect(podSpec(nats as Workload).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey).toBe(
			"kubernetes.io/hostname",
		);
		const configMapName = podSpec(nats as Workload).volumes?.find((volume) => volume.configMap)?.configMap?.name as string;
		const conf = configMaps(objects).get(configMapName)?.["nats.conf"] ?? "";
		expect(conf).toMatch(/jetstream\s*{[^}]*store_dir:\s*\/data/);
		const routes = [...conf.matchAll(/nats:\/\/nats-(\d+)\.nats-headless:6222/g)].map((match) => Number(match[1]));
		if (overlay.natsReplicas === 1) expect(conf).not.toMatch(/cluster\s*{/);
		else expect(routes).toEqual([...Array(overlay.natsReplicas).keys()]);
	});

	it("rolls Deployments out without losing capacity (Recreate only for a pod that owns a ReadWriteOnce volume)", () => {
		for (const deployment of ofKind<IDeployment>(objects, "Deployment")) {
			const strategy = deployment.spec?.strategy;
			const claims = podSpec(deployment as Workload).volumes?.filter((volume) => volume.persistentVolumeClaim) ?? [];
			if (strategy?.type === "Recreate") expect([deployment.metadata.name, claims.length]).toEqual([deployment.metadata.name, 1]);
			else expect([deployment.metadata.name, strategy?.rollingUpdate?.maxUnavailable]).toEqual([deployment.metadata.name, 0]);
		}
	});

	it("spreads PixCrawler replicas over nodes and covers every replicated workload with a PodDisruptionBudget", () => {
		const budgets = ofKind<IPodDisruptionBudget>(objects, "PodDisruptionBudget");
		for (const budget of budgets) {
			expect([budget.metadata.name, workloads(objects).some((workload) => selects(budget.spec?.selector, podLabels(workload)))]).toEqual([
				budget.metadata.name,
				true,
			]);
		}
		for (const deployment of pixCrawlerDeployments(objects)) {
			const spread = podSpec(deployment).topologySpreadConstraints ?? [];
			const byNode = spread.find((constraint) => constraint.topologyKey === "kubernetes.io/hostname");
			expect([deployment.metadata.name, selects(byNode?.labelSelector, podLabels(deployment))]).toEqual([deployment.metadata.name, true]);
		}
		for (const workload of workloads(objects).filter((candidate) => isPixCrawler(candidate) || candidate.metadata.name === "nats")) {
			expect([workload.metadata.name, budgets.some((budget) => selects(budget.spec?.selector, podLabels(workload)))]).toEqual([
				workload.metadata.name,
				true,
			]);
		}
	});

	it("pins every image to a tag or digest", () => {
		for (const workload of workloads(objects)) {
			for (const container of podSpec(workload).containers) {
				const image = container.image ?? "";
				const tag = image.includes("@") ? "digest" : (image.split("/").pop() ?? "").split(":")[1];
				expect([image, tag && tag !== "latest"]).toEqual([image, true]);
			}
		}
	});

	if (overlay.name === "prod") {
		it("autoscales the gateway and the crawl workers, whose Deployments leave the replica count to the autoscaler", () => {
			const autoscalers = ofKind<IHorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");
			const deployments = ofKind<IDeployment>(objects, "Deployment");
			const targets = autoscalers.map((autoscaler) => autoscaler.spec?.scaleTargetRef);
			expect(targets.map((target) => target?.name).sort()).toEqual(["pixcrawler-api", "pixcrawler-crawl-worker"]);
			for (const autoscaler of autoscalers) {
				const target = autoscaler.spec?.scaleTargetRef;
				const deployment = deployments.find((candidate) => candidate.metadata.name === target?.name);
				expect([target?.kind, target?.apiVersion, Boolean(deployment)]).toEqual(["Deployment", "apps/v1", true]);
				expect(deployment?.spec?.replicas).toBeUndefined();
				expect(autoscaler.spec?.minReplicas).toBeGreaterThanOrEqual(2);
				expect(autoscaler.spec?.maxReplicas).toBeGreaterThan(autoscaler.spec?.minReplicas ?? 0);
				// CPU utilisation is measured against the request
				const [pod] = deployment ? [podSpec(deployment as Workload)] : [];
				expect(pod?.containers[0].resources?.requests?.cpu).toBeDefined();
			}
			for (const deployment of pixCrawlerDeployments(objects).filter(
				(candidate) => !targets.some((target) => target?.name === candidate.metadata.name),
			)) {
				expect([deployment.metadata.name, (deployment.spec?.replicas ?? 1) >= 2]).toEqual([deployment.metadata.name, true]);
			}
		});

		it("keeps MongoDB and Redis out of the cluster (managed services)", () => {
			expect(workloads(objects).map((workload) => workload.metadata.name)).not.toEqual(expect.arrayContaining(["mongodb"]));
			expect(workloads(objects).map((workload) => workload.metadata.name)).not.toEqual(expect.arrayContaining(["redis"]));
		});
	} else {
		it("runs one replica of everything with MongoDB and Redis in the namespace, and no autoscalers", () => {
			for (const workload of workloads(objects))
				expect([workload.metadata.name, workload.spec?.replicas]).toEqual([workload.metadata.name, 1]);
			expect(workloads(objects).map((workload) => workload.metadata.name)).toEqual(expect.arrayContaining(["mongodb", "redis", "nats"]));
			expect(ofKind(objects, "HorizontalPodAutoscaler")).toEqual([]);
		});
	}
});

describe("k8s/secrets.env.example", () => {
	const file = path.join(K8S, "secrets.env.example");
	const entries = fs
		.readFileSync(file, "utf8")
		.split("\n")
		.filter((line) => line.trim() && !line.startsWith("#"))
		.map((line) => line.split("=", 2) as [string, string]);

	it("lists exactly the keys the pods reference, every one empty", () => {
		const referenced = new Set<string>();
		for (const overlay of OVERLAYS) {
			for (const deployment of pixCrawlerDeployments(render(path.join(K8S, "overlays", overlay.name)))) {
				for (const variable of podSpec(deployment).containers.flatMap((container) => container.env ?? [])) {
					if (variable.valueFrom?.secretKeyRef) referenced.add(variable.valueFrom.secretKeyRef.key);
				}
			}
		}
		expect(entries.map(([key]) => key).sort()).toEqual([...referenced].sort());
		expect(entries.filter(([, value]) => value !== "")).toEqual([]);
	});

	it("is no part of any kustomization", () => {
		const kustomizations = execFileSync("find", [K8S, "-name", "kustomization.yaml"], { encoding: "utf8" }).trim().split("\n");
		expect(kustomizations.length).toBeGreaterThanOrEqual(5);
		for (const kustomization of kustomizations) {
			const content = parse(fs.readFileSync(kustomization, "utf8")) as Record<string, unknown>;
			expect([kustomization, content.secretGenerator, JSON.stringify(content).includes("secrets.env")]).toEqual([
				kustomization,
				undefined,
				false,
			]);
		}
	});
});
