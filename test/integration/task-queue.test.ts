import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { ServiceBroker } from "moleculer";
import { connect } from "nats";
import { defineService } from "../../lib/define-service";
import { queueMiddleware } from "../../lib/queue";
import { brokerOptions } from "../../moleculer.config";
import { testConfig, waitUntil } from "../support/gateway";
import { privateNats, type ServerProcess } from "../support/processes";

const MACHINE_NATS = "nats://127.0.0.1:4222";

/** broker.sendToChannel is added by the channels middleware; moleculer's types do not know it. */
const sendTo = (broker: ServiceBroker, channel: string, payload: unknown) =>
	(broker as ServiceBroker & { sendToChannel(channel: string, payload: unknown): Promise<void> }).sendToChannel(channel, payload);
const send = (broker: ServiceBroker, payload: { n: number; hold?: boolean }) => sendTo(broker, "test.handback", payload);

/**
 * A replica stopping gracefully finishes the messages it holds; JetStream meanwhile keeps pushing it
 * new ones. Those must go back to the queue at once for the other replicas — not sit unanswered until
 * the ack wait (a minute) runs out.
 */
describe("the task queue when a consumer stops gracefully (machine's NATS JetStream)", () => {
	const namespace = `it-handback-${randomUUID().slice(0, 8)}`;
	const brokers: ServiceBroker[] = [];
	const handled: { node: string; n: number }[] = [];
	let release: () => void = () => undefined;
	const held = new Promise<void>((resolve) => {
		release = resolve;
	});

	function replica(name: string): ServiceBroker {
		const config = testConfig({ TRANSPORTER: MACHINE_NATS, PIXCRAWLER_NAMESPACE: namespace });
		const broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `${namespace}-${name}`, logger: false });
		broker.createService(
			defineService({
				name: "handback-consumer",
				channels: {
					"test.handback": {
						group: "handback-workers",
						async handler(payload: { n: number; hold?: boolean }) {
							// the first message is still being worked on when its replica is told to stop
							if (payload.hold) await held;
							handled.push({ node: name, n: payload.n });
						},
					},
				},
			}),
		);
		brokers.push(broker);
		return broker;
	}

	afterAll(async () => {
		release();
		await Promise.allSettled(brokers.map((broker) => broker.stop()));
		const nats = await connect({ servers: MACHINE_NATS });
		try {
			const manager = await nats.jetstreamManager();
			for await (const stream of manager.streams.list()) {
				if (stream.config.name.startsWith(namespace)) await manager.streams.delete(stream.config.name);
			}
		} finally {
			await nats.close();
		}
	});

	it("hands the messages a stopping replica still receives to the others at once", async () => {
		const stopping = replica("stopping");
		await stopping.start();
		await send(stopping, { n: 0, hold: true });
		const staying = replica("staying");
		await staying.start();

		const stopped = stopping.stop();
		// the replica is draining: it holds message 0 and unsubscribes once that is done
		await waitUntil(() => stopping.stopping, 5000, "the replica to begin stopping");
		const sent = Array.from({ length: 8 }, (_, index) => index + 1);
		for (const n of sent) await send(staying, { n });
		// far sooner than the ack wait (60 s) after which JetStream would offer an unanswered message again
		await waitUntil(() => sent.every((n) => handled.some((entry) => entry.n === n)), 10000, "every message to be handled");
		expect(handled.filter((entry) => entry.n > 0).every((entry) => entry.node === "staying")).toBe(true);

		release();
		await stopped;
		// the held message was finished by the stopping replica and acknowledged: nobody runs it again
		expect(handled.filter((entry) => entry.n === 0)).toEqual([{ node: "stopping", n: 0 }]);
	}, 30000);
});

describe("the task queue when NATS is down while a process starts (a private nats-server)", () => {
	// stopping the machine's NATS would disturb the test files running beside this one
	let nats: ServerProcess;
	let broker: ServiceBroker | undefined;

	beforeAll(async () => {
		nats = await privateNats();
	});
	afterAll(async () => {
		await broker?.stop();
		await nats.stop();
		if (nats.storeDir) fs.rmSync(nats.storeDir, { recursive: true, force: true });
	});

	it("waits for NATS to come back instead of failing the start", async () => {
		const config = testConfig({
			TRANSPORTER: `nats://127.0.0.1:${nats.port}`,
			PIXCRAWLER_NAMESPACE: `it-first-${randomUUID().slice(0, 8)}`,
		});
		await nats.stop();
		const received: unknown[] = [];
		// the queue alone (no transporter): its connection opens when the broker starts its middlewares
		broker = new ServiceBroker({ logger: false, middlewares: [queueMiddleware(config)] });
		broker.createService(
			defineService({
				name: "first-connect",
				channels: {
					"test.first-connect": {
						handler(payload: unknown) {
							received.push(payload);
						},
					},
				},
			}),
		);
		let outcome: string | undefined;
		const starting = broker.start().then(
			() => {
				outcome = "started";
			},
			(error: Error) => {
				outcome = `failed: ${error.message}`;
			},
		);
		// the adapter dials every 500 ms meanwhile; a failed first dial used to end the start at once
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(outcome).toBeUndefined();
		await nats.start();
		await starting;
		expect(outcome).toBe("started");
		await sendTo(broker, "test.first-connect", { hello: "again" });
		await waitUntil(() => received.length === 1, 5000, "the message");
		expect(received).toEqual([{ hello: "again" }]);
	}, 20000);
});

describe("task streams take their JetStream settings from the configuration (machine's NATS)", () => {
	const namespace = `it-streams-${randomUUID().slice(0, 8)}`;
	let broker: ServiceBroker;

	afterAll(async () => {
		await broker?.stop();
		const nats = await connect({ servers: MACHINE_NATS });
		try {
			const manager = await nats.jetstreamManager();
			for await (const stream of manager.streams.list()) {
				if (stream.config.name.startsWith(namespace.replace(/-/g, "_")) || stream.config.name.startsWith(namespace)) {
					await manager.streams.delete(stream.config.name);
				}
			}
		} finally {
			await nats.close();
		}
	});

	it("creates a stream with the configured retention and storage", async () => {
		const config = testConfig({
			TRANSPORTER: MACHINE_NATS,
			PIXCRAWLER_NAMESPACE: namespace,
			NATS_STREAM_MAX_AGE_HOURS: "2",
			NATS_STREAM_STORAGE: "memory",
		});
		broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `${namespace}-node`, logger: false });
		broker.createService(
			defineService({
				name: "settings-consumer",
				channels: { "test.settings": { group: "settings-workers", handler() {} } },
			}),
		);
		await broker.start();
		const nats = await connect({ servers: MACHINE_NATS });
		try {
			const manager = await nats.jetstreamManager();
			const streams = [];
			for await (const stream of manager.streams.list())
				if (stream.config.subjects.some((subject) => subject.includes(namespace))) streams.push(stream);
			expect(streams).toHaveLength(1);
			expect(streams[0].config).toMatchObject({ max_age: 2 * 3600 * 1e9, storage: "memory", num_replicas: 1 });
		} finally {
			await nats.close();
		}
	});
});
