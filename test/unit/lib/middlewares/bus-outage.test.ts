import { randomUUID } from "node:crypto";
import { ServiceBroker } from "moleculer";
import { defineService } from "../../../../lib/define-service";
import { busOutage } from "../../../../lib/middlewares/bus-outage";

/** Stands in for the NATS client: its status events are pushed by the test. */
function fakeNatsClient() {
	const waiting: ((result: IteratorResult<{ type: string }>) => void)[] = [];
	const queued: { type: string }[] = [];
	return {
		push(type: string) {
			const next = waiting.shift();
			if (next) next({ value: { type }, done: false });
			else queued.push({ type });
		},
		status(): AsyncIterable<{ type: string }> {
			return {
				[Symbol.asyncIterator]: () => ({
					next: () => {
						const item = queued.shift();
						return item ? Promise.resolve({ value: item, done: false }) : new Promise((resolve) => waiting.push(resolve));
					},
				}),
			};
		},
		closed: () => new Promise(() => undefined),
	};
}

const GRACE_MS = 50;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("calls while the bus is down (in-memory transporter, NATS client stand-in)", () => {
	const namespace = `bus-outage-${randomUUID().slice(0, 8)}`;
	const options = { namespace, transporter: "Fake", logger: false, requestTimeout: 5000 } as const;
	const caller = new ServiceBroker({ ...options, nodeID: "caller", middlewares: [busOutage(GRACE_MS)] });
	const remote = new ServiceBroker({ ...options, nodeID: "remote" });
	const client = fakeNatsClient();
	caller.createService(defineService({ name: "here", actions: { echo: { handler: (ctx) => ({ here: ctx.params }) } } }));
	remote.createService(
		defineService({
			name: "there",
			actions: {
				quick: { handler: () => "quick" },
				slow: { handler: () => new Promise((resolve) => setTimeout(() => resolve("slow"), 300)) },
			},
		}),
	);

	beforeAll(async () => {
		await Promise.all([caller.start(), remote.start()]);
		await caller.waitForServices(["there"]);
		(caller.transit as unknown as { tx: { client: unknown } }).tx.client = client;
		caller.broadcastLocal("$transporter.connected", { wasReconnect: false });
		await settle();
	});
	afterAll(() => Promise.all([caller.stop(), remote.stop()]));

	it("passes every call through while connected", async () => {
		await expect(caller.call("there.quick")).resolves.toBe("quick");
		await expect(caller.call("here.echo", { a: 1 })).resolves.toEqual({ here: { a: 1 } });
	});

	it("fails calls to other nodes at once with a retryable 503 while disconnected, and serves local ones", async () => {
		client.push("disconnect");
		await settle();
		const started = Date.now();
		await expect(caller.call("there.quick")).rejects.toMatchObject({ name: "Unavailable", code: 503, retryable: true });
		await expect(caller.call("there.quick", {}, { nodeID: "remote" })).rejects.toMatchObject({ code: 503 });
		expect(Date.now() - started).toBeLessThan(GRACE_MS);
		await expect(caller.call("here.echo", { b: 2 })).resolves.toEqual({ here: { b: 2 } });
		await expect(caller.call("here.echo", {}, { nodeID: "caller" })).resolves.toEqual({ here: {} });
		// an action nobody offers still says so
		await expect(caller.call("nowhere.atAll")).rejects.toMatchObject({ name: "ServiceNotFoundError" });
	});

	it("lets calls through again once the client has reconnected", async () => {
		client.push("reconnect");
		await settle();
		await expect(caller.call("there.quick")).resolves.toBe("quick");
	});

	it("fails a call already sent once the grace period passes without the connection", async () => {
		const started = Date.now();
		const pending = caller.call("there.slow");
		client.push("disconnect");
		await expect(pending).rejects.toMatchObject({ name: "RequestRejectedError", code: 503 });
		const failedAfter = Date.now() - started;
		expect(failedAfter).toBeGreaterThanOrEqual(GRACE_MS - 5);
		expect(failedAfter).toBeLessThan(300);
		client.push("reconnect");
		await settle();
	});

	it("leaves a call already sent alone when the connection is back within the grace period", async () => {
		const pending = caller.call("there.slow");
		client.push("disconnect");
		await settle();
		client.push("reconnect");
		await expect(pending).resolves.toBe("slow");
	});
});
