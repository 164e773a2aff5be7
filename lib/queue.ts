import { Adapters, Middleware as ChannelsMiddleware } from "@moleculer/channels";

type QueueOptions = Parameters<typeof ChannelsMiddleware>[0];
type Channel = Parameters<InstanceType<typeof Adapters.NATS>["createConsumerHandler"]>[0];

import type { Config } from "./config";

/** How long JetStream waits for an ack (or a `working()` heartbeat) before it redelivers a task. */
const ACK_WAIT_MS = 60_000;
/** A message handed back by a stopping consumer is offered again after this long (not at once: no hot loop with itself). */
const HAND_BACK_DELAY_MS = 500;
const SUBSCRIBE_ATTEMPTS = 5;
const SUBSCRIBE_RETRY_MS = 200;

/**
 * The JetStream adapter, except that a consumer being unsubscribed (its service is stopping and waits
 * for the messages it is handling) hands back every message it still receives. The stock adapter skips
 * them without an answer, so no other replica gets them — and they hold `max_ack_pending` slots of the
 * whole consumer group — until the ack wait runs out: a worker stopped gracefully stalled tasks a minute.
 */
export class HandBackNatsAdapter extends Adapters.NATS {
	override createConsumerHandler(chan: Channel) {
		const handle = super.createConsumerHandler(chan);
		return async (error: Parameters<typeof handle>[0], message: Parameters<typeof handle>[1]) => {
			if (chan.unsubscribing && message) {
				message.nak(HAND_BACK_DELAY_MS);
				return;
			}
			return handle(error, message);
		};
	}

	/**
	 * Replicas starting together race to create the same durable consumer, and the loser's subscribe fails
	 * (which ended its process). The consumer exists by the next try, so a few tries with a pause win.
	 */
	override async subscribe(chan: Channel & Parameters<InstanceType<typeof Adapters.NATS>["subscribe"]>[0]): Promise<void> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await super.subscribe(chan);
			} catch (error) {
				if (attempt >= SUBSCRIBE_ATTEMPTS) throw error;
				// the failed try left the channel's message tracking set up; the next one sets it up again
				(this as unknown as { activeMessages: Map<string, unknown> }).activeMessages.delete(chan.id);
				await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_RETRY_MS * attempt));
			}
		}
	}
}

/** The JetStream settings of every task stream (created by the saga owner at start; existing streams keep theirs). */
export function streamConfig(config: Config) {
	return {
		num_replicas: config.nats.streamReplicas,
		max_age: config.nats.streamMaxAgeHours * 3600 * 1e9,
		storage: config.nats.streamStorage,
	};
}

/**
 * Durable delivery of background tasks (@moleculer/channels). With a NATS transporter the channels
 * live in JetStream: a task survives a worker's crash and goes to another replica; streams and durable
 * consumers are created by whichever replica starts first (creation is idempotent). Without a
 * transporter (the embedded default) the in-process adapter delivers them; there the database's
 * record of every task is what survives a restart.
 */
export function queueMiddleware(config: Config) {
	// the adapter fills in every option left out; its types do not say so
	if (!config.transporter.url)
		return ChannelsMiddleware({ adapter: { type: "Fake", options: { maxInFlight: 8, maxRetries: 0 } } } as QueueOptions);
	const servers = config.transporter.url.split(",").map((server) => server.trim());
	const adapter = new HandBackNatsAdapter({
		nats: {
			url: servers.join(","),
			connectionOptions: {
				servers,
				user: config.nats.user,
				pass: config.nats.password,
				token: config.nats.token,
				maxReconnectAttempts: -1,
				reconnectTimeWait: 500,
				// this connection opens when the broker has started its services (a worker first waits for its
				// dependencies): a NATS restart in that gap must delay the start, not end the process
				waitOnFirstConnect: true,
			},
			streamConfig: streamConfig(config),
			// "all": tasks published before the first worker subscribed (the saga owner provisions the
			// streams up front) are delivered too; a durable consumer then resumes where it left off
			consumerOptions: { config: { deliver_policy: "all", ack_wait: ACK_WAIT_MS * 1e6 } },
		},
		maxInFlight: 8,
		// task failures are recorded and rescheduled through the database, never by blind redelivery
		maxRetries: 10,
		deadLettering: { enabled: false },
	});
	// the middleware takes an adapter instance as well (Adapters.resolve); its types know only names and configs
	return ChannelsMiddleware({ adapter: adapter as unknown as QueueOptions["adapter"] } as QueueOptions);
}
