import type Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import type { ComponentHealth } from "../../lib/types";
import { HEALTH_ACTION, probe } from "../../mixins/health.mixin";

interface NatsLikeClient {
	flush(): Promise<void>;
	isClosed(): boolean;
}

/**
 * The transporter is healthy when the bus answers a round trip: a NATS `flush` is a PING/PONG with
 * the server, so it fails while the server is unreachable even though the client keeps reconnecting.
 */
async function transporterCheck(broker: ServiceBroker): Promise<void> {
	const transit = broker.transit as unknown as { connected: boolean; tx: { client?: NatsLikeClient } } | undefined;
	if (!transit) return;
	if (!transit.connected) throw new Error("not connected");
	const client = transit.tx.client;
	if (client && typeof client.flush === "function") {
		if (client.isClosed()) throw new Error("connection closed");
		await client.flush();
	}
}

/** The gateway's route table: each alias names the action it calls. */
export type RouteTable = readonly { action?: string }[];

/**
 * A required service counts as up while at least one node of it is available on the bus and, when it
 * has REST actions, the gateway has published their routes. moleculer-web learns a remote service's
 * routes only after its "$services.changed" debounce (500 ms): ready before that, the gateway would
 * answer 404 for routes that exist.
 */
function requiredServiceCheck(
	broker: ServiceBroker,
	name: string,
	restActions: string[],
	routes: RouteTable | undefined,
): Promise<ComponentHealth> {
	return probe(`service ${name}`, async () => {
		const available = broker.registry.getServiceList({ onlyAvailable: true }).some((service) => service.name === name);
		if (!available) throw new Error("no available node runs it");
		const own = restActions.filter((action) => action.startsWith(`${name}.`));
		if (routes && own.length > 0 && !routes.some((alias) => alias.action !== undefined && own.includes(alias.action))) {
			throw new Error("its routes are not published yet");
		}
	});
}

export async function checkComponents(
	broker: ServiceBroker,
	redis: Redis | undefined,
	requiredServices: string[] = [],
	routes?: RouteTable,
): Promise<ComponentHealth[]> {
	const actions = broker.registry.getActionList({ onlyAvailable: true, skipInternal: true });
	const restActions = actions.filter((item) => (item.action as { rest?: unknown } | undefined)?.rest).map((item) => item.name);
	const checks: Promise<ComponentHealth | ComponentHealth[]>[] = [
		...requiredServices.map((name) => requiredServiceCheck(broker, name, restActions, routes)),
		probe(broker.transit ? "transporter" : "transporter (in-process)", () => transporterCheck(broker), 1500),
	];
	if (redis) checks.push(probe("redis", () => redis.ping(), 1000));
	const healthActions = actions.map((item) => item.name).filter((name) => name.endsWith(`.${HEALTH_ACTION}`));
	for (const action of new Set(healthActions)) {
		const service = action.slice(0, -HEALTH_ACTION.length - 1);
		checks.push(
			broker
				.call<ComponentHealth[], Record<string, never>>(action, {}, { timeout: 3000, retries: 0 })
				.catch((error: Error) => [{ name: service, status: "down" as const, latencyMs: 0, detail: error.message }]),
		);
	}
	return (await Promise.all(checks)).flat();
}

/**
 * One node's readiness, for nodes without the gateway (lib/middlewares/node-probes.ts): the bus answers
 * a round trip and the node's own services pass their checks (database, storage). Other nodes' health
 * is theirs to report.
 */
export async function checkNode(broker: ServiceBroker): Promise<ComponentHealth[]> {
	const local = broker.registry
		.getActionList({ onlyLocal: true, skipInternal: true })
		.map((item) => item.name)
		.filter((name) => name.endsWith(`.${HEALTH_ACTION}`));
	const checks: Promise<ComponentHealth | ComponentHealth[]>[] = [
		probe(broker.transit ? "transporter" : "transporter (in-process)", () => transporterCheck(broker), 1500),
		...[...new Set(local)].map((action) =>
			broker
				.call<ComponentHealth[], Record<string, never>>(action, {}, { timeout: 3000, retries: 0, nodeID: broker.nodeID })
				.catch((error: Error) => [
					{ name: action.slice(0, -HEALTH_ACTION.length - 1), status: "down" as const, latencyMs: 0, detail: error.message },
				]),
		),
	];
	return (await Promise.all(checks)).flat();
}
