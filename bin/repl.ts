/** Opens moleculer-repl as an extra node of the running cluster (same transporter and namespace). */
import { ServiceBroker } from "moleculer";
import { getConfigOrExit } from "../lib/config";
import { brokerOptions } from "../moleculer.config";
import { replOptions } from "./repl/commands";

const config = getConfigOrExit();
if (!config.transporter.url) {
	process.stderr.write(
		"pixcrawler: the REPL joins a cluster over TRANSPORTER (nats://…); for the embedded platform run `npm start -- --repl` instead\n",
	);
	process.exit(1);
}
// The REPL prints its own tables; only warnings from the broker itself are worth showing.
const quiet = { ...config, global: { ...config.global, logLevel: "warn" as const } };
const broker = new ServiceBroker({ ...brokerOptions(quiet), nodeID: `repl-${process.pid}`, replOptions: replOptions() });
broker.start().then(() => broker.repl());
