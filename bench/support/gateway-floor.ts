/**
 * The framework's floor: the platform's broker options (middlewares, metrics, validator) and
 * moleculer-web, with one public route answering the captured page from memory — no authentication,
 * rate limit, access log, database or field shaping. Run as its own process by gateway.bench.ts.
 */
import fs from "node:fs";
import { ServiceBroker } from "moleculer";
import ApiGateway from "moleculer-web";
import { loadConfig } from "../../lib/config";
import { brokerOptions } from "../../moleculer.config";

const config = loadConfig(process.env);
const page = JSON.parse(fs.readFileSync(String(process.env.BODY_FILE), "utf8"));
const broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
broker.createService({
	name: "floor",
	mixins: [ApiGateway],
	settings: {
		port: config.gateway.port,
		ip: "127.0.0.1",
		routes: [{ path: "/api/v1", mappingPolicy: "restrict", aliases: { "GET datasets": "floor.page" } }],
		log4XXResponses: false,
		logRequest: null,
		logResponse: null,
	},
	actions: {
		page: {
			handler: () => page,
		},
	},
});
broker.start().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
