import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { MetricRateShapes, settleMetricRateShapes } from "../../../../lib/middlewares/metric-rate-shapes";
import { brokerOptions } from "../../../../moleculer.config";

describe("MetricRateShapes", () => {
	it("settles the shapes once per process, on MetricRate objects kept alive with their timers stopped", () => {
		const holders = settleMetricRateShapes() as { constructor: { name: string }; timer: NodeJS.Timeout; rate: unknown }[];
		expect(settleMetricRateShapes()).toBe(holders);
		expect(holders.length).toBeGreaterThan(0);
		for (const holder of holders) {
			expect(holder.constructor.name).toBe("MetricRate");
			// a stopped interval: Node marks it destroyed, so it never ticks and never holds the process open
			expect((holder.timer as unknown as { _destroyed: boolean })._destroyed).toBe(true);
		}
	});

	it("runs on every broker the platform configures, and metric rates still tick afterwards", async () => {
		const options = brokerOptions(loadConfig({ ...process.env, PIXCRAWLER_METRICS_ENABLED: "true" }));
		expect(options.middlewares).toContain(MetricRateShapes);
		const broker = new ServiceBroker({ ...options, logger: false });
		try {
			broker.createService({ name: "things", actions: { count: () => 1 } });
			await broker.start();
			for (let n = 0; n < 7; n++) await broker.call("things.count");
			const total = broker.metrics.getMetric("moleculer.request.total") as unknown as {
				values: Map<string, { labels: { action?: string }; rate: { rate: number; lastTickTime: number; tick(): void } }>;
			};
			const rate = [...total.values.values()].find((value) => value.labels.action === "things.count")?.rate;
			if (!rate) throw new Error("no rate for things.count");
			// as if the 5-second tick came now: 7 calls in 5 s, weighted half with the previous rate (0)
			rate.lastTickTime = Date.now() - 5000;
			rate.tick();
			expect(rate.rate).toBeCloseTo(42, 0);
		} finally {
			await broker.stop();
		}
	});
});
