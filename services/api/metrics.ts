import { type MetricRegistry, MetricReporters } from "moleculer";

/**
 * Moleculer's Prometheus reporter, minus its own HTTP server: the gateway serves the exposition at
 * GET /metrics, so no second port has to be opened or secured.
 */
export class PrometheusExposition extends MetricReporters.Prometheus {
	override init(registry: MetricRegistry) {
		this.registry = registry;
		this.broker = registry.broker;
		this.logger = registry.logger;
		(this as unknown as { defaultLabels: Record<string, string> }).defaultLabels = {
			namespace: registry.broker.namespace,
			nodeID: registry.broker.nodeID,
		};
	}

	override async stop() {}
}
