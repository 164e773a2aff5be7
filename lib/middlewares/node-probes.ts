import http from "node:http";
import type { Middleware, ServiceBroker } from "moleculer";
import type { ComponentHealth } from "../types";

/**
 * Liveness and readiness of one node on a port of its own, for nodes without the gateway (a crawl worker,
 * the dataset service…) so orchestrators can probe every process the same way:
 *   GET /health        200 while the process runs and its broker is not stopping
 *   GET /health/ready  200 once every local service has started and `readiness` finds nothing down; else 503
 * Liveness never depends on the bus or a database: restarting a process does not bring NATS back.
 */
export function nodeProbes(port: number, readiness: (broker: ServiceBroker) => Promise<ComponentHealth[]>): Middleware {
	let server: http.Server | undefined;
	let started = false;
	let stopping = false;

	const answer = (res: http.ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
		res.end(JSON.stringify(body));
	};

	return {
		name: "NodeProbes",
		async starting(broker: ServiceBroker) {
			if (port <= 0) return;
			server = http.createServer(async (req, res) => {
				const path = (req.url ?? "/").split("?")[0];
				if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, { status: "method not allowed" });
				if (path === "/health") return answer(res, stopping ? 503 : 200, { status: stopping ? "stopping" : "ok", nodeID: broker.nodeID });
				if (path !== "/health/ready") return answer(res, 404, { status: "not found" });
				if (!started || stopping) {
					return answer(res, 503, { status: "unavailable", failed: [stopping ? "stopping" : "services starting"] });
				}
				const components = await readiness(broker).catch((error: Error) => [
					{ name: "readiness", status: "down" as const, latencyMs: 0, detail: error.message },
				]);
				const failed = components.filter((component) => component.status === "down").map((component) => component.name);
				answer(res, failed.length > 0 ? 503 : 200, { status: failed.length > 0 ? "unavailable" : "ok", failed, components });
			});
			// listening before the services start, so a startup probe sees a live process that is not ready yet
			await new Promise<void>((resolve, reject) => {
				server?.once("error", reject);
				server?.listen(port, () => resolve());
			});
		},
		async started() {
			started = true;
		},
		async stopping() {
			stopping = true;
		},
		async stopped() {
			await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
		},
	};
}
