import { z } from "zod";
import { optionalText, variable } from "../variable";

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
};
