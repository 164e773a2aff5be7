import { checkComponents } from "../../../services/api/health";
import { formatTable } from "../../manage/table";
import type { ReplCommand } from "./command";

const SERVICES = ["api", "auth", "dataset", "storage", "crawl", "crawl-worker", "notify"];

/** `health`: what the gateway's readiness sees, from wherever the REPL runs. */
export const healthCommand: ReplCommand = {
	command: "health",
	description: "PixCrawler: the transporter, every service's own checks (database, storage) and which services have a node",
	async run(broker, _args, out) {
		const components = await checkComponents(broker, undefined, SERVICES);
		out(
			formatTable(
				["COMPONENT", "STATUS", "LATENCY", "DETAIL"],
				components.map((component) => [component.name, component.status, `${component.latencyMs.toFixed(1)} ms`, component.detail ?? ""]),
			),
		);
		const down = components.filter((component) => component.status === "down");
		out(down.length === 0 ? "every component is up\n" : `${down.length} down: ${down.map((component) => component.name).join(", ")}\n`);
	},
};
