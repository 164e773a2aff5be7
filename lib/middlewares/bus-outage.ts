import { type CallingOptions, METRIC, type Middleware, type ServiceBroker } from "moleculer";
import { Unavailable } from "../errors";

/**
 * How long calls already sent when the connection drops may wait for it to come back before they fail:
 * a NATS client reconnects within about half a second (reconnectTimeWait) when the server is still there.
 */
export const PENDING_GRACE_MS = 1000;

interface NatsStatus {
	type: string;
}

interface NatsClientLike {
	status(): AsyncIterable<NatsStatus>;
	closed(): Promise<unknown>;
}

interface TransitLike {
	tx: { client?: unknown };
	pendingRequests: Map<string, { nodeID?: string | null }>;
	removePendingRequestByNodeID(nodeID: string): void;
}

type CallHandler = (actionName: unknown, params: unknown, opts?: CallingOptions) => Promise<unknown>;

const unreachable = (action: string | undefined) => new Unavailable("The message bus is unreachable; try again shortly", { action });

const isNatsClient = (client: unknown): client is NatsClientLike =>
	typeof (client as NatsClientLike | undefined)?.status === "function" && typeof (client as NatsClientLike).closed === "function";

/** Whether a call would leave this node: its endpoint, the node it names, or no local endpoint of the action. */
function goesRemote(broker: ServiceBroker, actionName: unknown, opts: CallingOptions | undefined): boolean {
	if (typeof actionName === "object" && actionName !== null) return !(actionName as { local?: boolean }).local;
	if (typeof actionName !== "string") return false;
	if (opts?.nodeID) return opts.nodeID !== broker.nodeID;
	const endpoints = broker.registry.getActionEndpoints(actionName) as { hasLocal(): boolean } | undefined;
	// unknown actions fail on their own (ServiceNotFoundError)
	return endpoints !== undefined && !endpoints.hasLocal();
}

/**
 * Calls to other nodes fail at once with 503 (`Unavailable`) while this node's NATS connection is down,
 * instead of being buffered by the NATS client until the call times out (10 s between services, 30 s
 * behind the gateway). Calls already sent when the connection drops get PENDING_GRACE_MS for it to come
 * back, then fail the same way (Moleculer's RequestRejectedError, 503). Moleculer does not notice: its
 * NATS transporter leaves `transit.connected` set while the client reconnects, so the state comes from
 * the client's own status events. Local endpoints keep answering; the middleware does nothing without a
 * transporter. The check runs before the broker picks an endpoint, so these failures do not count against
 * the circuit breaker, which would keep the endpoint shut for its half-open time after NATS is back.
 */
export function busOutage(pendingGraceMs = PENDING_GRACE_MS): Middleware {
	let broker: ServiceBroker | undefined;
	let watched: NatsClientLike | undefined;
	let online = true;
	let graceTimer: NodeJS.Timeout | undefined;

	const transit = () => broker?.transit as unknown as TransitLike | undefined;

	const rejectPending = () => {
		const current = transit();
		if (online || !current) return;
		const nodes = new Set<string>();
		for (const request of current.pendingRequests.values()) if (request.nodeID) nodes.add(request.nodeID);
		if (nodes.size > 0) broker?.logger.warn(`The message bus is down: ${nodes.size} node(s)' pending calls fail with 503`);
		for (const nodeID of nodes) current.removePendingRequestByNodeID(nodeID);
	};

	/** Moleculer's own gauge stays at 1 while the NATS client reconnects: it is set here, so alerts on it work. */
	const report = () => {
		if (broker?.isMetricsEnabled()) broker.metrics.set(METRIC.MOLECULER_TRANSIT_CONNECTED, online ? 1 : 0);
	};

	const wentOffline = () => {
		if (!online) return;
		online = false;
		report();
		broker?.logger.warn("The message bus connection is down: calls to other nodes fail with 503 until it is back");
		clearTimeout(graceTimer);
		graceTimer = setTimeout(rejectPending, pendingGraceMs);
		graceTimer.unref();
	};

	const cameBack = () => {
		clearTimeout(graceTimer);
		if (online) return;
		online = true;
		report();
		broker?.logger.info("The message bus connection is back");
	};

	/** Follows the status of the transporter's current NATS client (a new one after Moleculer reconnects it). */
	const watch = () => {
		const client = transit()?.tx.client;
		if (!isNatsClient(client) || client === watched) return;
		watched = client;
		cameBack();
		(async () => {
			for await (const status of client.status()) {
				if (client !== watched) return;
				if (status.type === "disconnect") wentOffline();
				else if (status.type === "reconnect") cameBack();
			}
		})().catch(() => undefined);
		client
			.closed()
			.then(() => {
				if (client === watched) wentOffline();
			})
			.catch(() => undefined);
	};

	return {
		name: "BusOutage",
		created(created: ServiceBroker) {
			if (!created.transit) return;
			broker = created;
			created.localBus.on("$transporter.connected", watch);
		},
		call: ((next: CallHandler): CallHandler =>
			(actionName, params, opts) => {
				if (!online && broker && goesRemote(broker, actionName, opts)) {
					const action = typeof actionName === "string" ? actionName : (actionName as { action?: { name?: string } }).action?.name;
					return Promise.reject(unreachable(action));
				}
				return next(actionName, params, opts);
			}) as unknown as Middleware["call"],
		async stopping() {
			// the transporter is about to close its connection on purpose: nothing to report
			broker?.localBus.off("$transporter.connected", watch);
			watched = undefined;
		},
		async stopped() {
			clearTimeout(graceTimer);
		},
	} as Middleware;
}
