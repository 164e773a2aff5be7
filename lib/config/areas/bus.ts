import { z } from "zod";
import { boundedInt, optionalText, variable } from "../variable";

export const transporterArea = {
	url: variable({
		env: "TRANSPORTER",
		schema: z
			.string()
			.trim()
			.refine(
				(text) => text === "" || text.split(",").every((server) => /^nats:\/\/[^\s/]+$/.test(server.trim())),
				"expected empty (in-process) or nats://host:port[,nats://host:port…]",
			),
		default: "",
		// a NATS URL may carry user:password
		secret: true,
		description: "Message bus: empty runs every service in one process; nats://host:4222 joins a NATS cluster",
	}),
};

export const natsArea = {
	user: variable({
		env: "NATS_USER",
		schema: optionalText,
		default: "",
		description: "NATS user name, when the server requires one",
	}),
	password: variable({
		env: "NATS_PASSWORD",
		schema: optionalText,
		default: "",
		secret: true,
		description: "NATS password for NATS_USER",
	}),
	token: variable({
		env: "NATS_TOKEN",
		schema: optionalText,
		default: "",
		secret: true,
		description: "NATS authentication token (instead of user and password)",
	}),
	streamReplicas: variable({
		env: "NATS_STREAM_REPLICAS",
		schema: boundedInt(1, 5),
		default: "1",
		description: "Copies JetStream keeps of each task stream (1, or 3 on a 3-node NATS cluster so a task queue survives a server loss)",
	}),
	streamMaxAgeHours: variable({
		env: "NATS_STREAM_MAX_AGE_HOURS",
		schema: boundedInt(1, 24 * 365),
		default: "168",
		description: "How long a task message stays in its stream, acknowledged or not (the database keeps the task itself)",
	}),
	streamStorage: variable({
		env: "NATS_STREAM_STORAGE",
		schema: z.enum(["file", "memory"]),
		default: "file",
		description: "Where JetStream keeps task streams: file (survives a NATS restart) or memory",
	}),
};
