/** Opens moleculer-repl as an extra node of the running cluster (same transporter and namespace). */
import { ServiceBroker } from "moleculer";
import { getConfigOrExit } from "../lib/config";
import { brokerOptions } from "../moleculer.config";

const config = getConfigOrExit();
if (!config.transporter.url) {
	process.stderr.write(
		"pixcrawler: the REPL joins a cluster over TRANSPORTER (nats://…); for the embedded platform run `npm start -- --repl` instead\n",
	);
	process.exit(1);
}
const broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `repl-${process.pid}`, logLevel: "warn" });
broker.start().then(() => broker.repl());
