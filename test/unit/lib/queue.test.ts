import { Adapters } from "@moleculer/channels";
import { HandBackNatsAdapter } from "../../../lib/queue";

describe("HandBackNatsAdapter.subscribe", () => {
	afterEach(() => jest.restoreAllMocks());

	it("tries again when a replica starting alongside won the race to create the durable consumer", async () => {
		const adapter = new HandBackNatsAdapter({ nats: { url: "nats://127.0.0.1:1" } });
		const tracked = (adapter as unknown as { activeMessages: Map<string, unknown> }).activeMessages;
		let calls = 0;
		jest.spyOn(Adapters.NATS.prototype, "subscribe").mockImplementation(async function (this: unknown, chan: { id: string }) {
			calls += 1;
			if (tracked.has(chan.id)) throw new Error(`Already tracking active messages of channel ${chan.id}`);
			tracked.set(chan.id, []);
			if (calls === 1) throw new Error("consumer name already in use");
		});
		await adapter.subscribe({ id: "chan-1", name: "x.tasks", group: "workers" } as never);
		expect(calls).toBe(2);
		expect(tracked.has("chan-1")).toBe(true);
	});

	it("gives up after a few tries with the last error", async () => {
		const adapter = new HandBackNatsAdapter({ nats: { url: "nats://127.0.0.1:1" } });
		jest.spyOn(Adapters.NATS.prototype, "subscribe").mockRejectedValue(new Error("jetstream not enabled"));
		await expect(adapter.subscribe({ id: "chan-2", name: "x.tasks", group: "workers" } as never)).rejects.toThrow("jetstream not enabled");
		expect(Adapters.NATS.prototype.subscribe).toHaveBeenCalledTimes(5);
	}, 10000);
});
