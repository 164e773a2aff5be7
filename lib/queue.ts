import { Middleware as ChannelsMiddleware } from "@moleculer/channels";

type QueueOptions = Parameters<typeof ChannelsMiddleware>[0];

import type { Config } from "./config";

/** How long JetStream waits for an ack (or a `working()` heartbeat) before it redelivers a task. */
const ACK_WAIT_MS = 60_000;

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
	return ChannelsMiddleware({
		adapter: {
			type: "NATS",
			options: {
				nats: {
					url: servers.join(","),
					connectionOptions: {
						servers,
						user: config.nats.user,
						pass: config.nats.password,
						token: config.nats.token,
						maxReconnectAttempts: -1,
						reconnectTimeWait: 500,
					},
					streamConfig: { max_age: 7 * 24 * 3600 * 1e9 },
					// "all": tasks published before the first worker subscribed (the saga owner provisions the
					// streams up front) are delivered too; a durable consumer then resumes where it left off
					consumerOptions: { config: { deliver_policy: "all", ack_wait: ACK_WAIT_MS * 1e6 } },
				},
				maxInFlight: 8,
				// task failures are recorded and rescheduled through the database, never by blind redelivery
				maxRetries: 10,
				deadLettering: { enabled: false },
			},
		},
	} as QueueOptions);
}
