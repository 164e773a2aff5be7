/**
 * Starts PixCrawler: every service in one process by default, or the services named in SERVICES.
 * Built on moleculer-runner (graceful shutdown, --instances workers, --repl) with two changes: the
 * broker options come only from our validated configuration (moleculer-runner would otherwise let
 * raw variables such as TRANSPORTER overwrite them), and SERVICES picks files from services/.
 */
import path from "node:path";
import { Runner } from "moleculer";
import { describeConfig, getConfigOrExit, readEnvironment } from "../lib/config";
import { dependenciesOf, preflight } from "../lib/preflight";
import { brokerOptions } from "../moleculer.config";
import { serviceFiles } from "./service-files";

const config = getConfigOrExit();
const servicesDir = path.join(__dirname, "..", "services");

let files: string[];
try {
	files = serviceFiles(servicesDir, config.global.services);
} catch (error) {
	process.stderr.write(`pixcrawler: ${(error as Error).message}\n`);
	process.exit(1);
}

class PixCrawlerRunner extends Runner {
	override mergeOptions() {
		this.config = brokerOptions(config);
		if (this.flags?.silent) this.config.logger = false;
		if (this.flags?.hot) this.config.hotReload = true;
	}

	override loadServices() {
		for (const file of files) this.broker?.loadService(file);
		// What this process runs with, secrets masked, so operators can read it from the first log lines.
		this.broker?.logger.info({ configuration: describeConfig(readEnvironment()) }, "Effective configuration");
	}
}

const args = [...process.argv.slice(0, 2), ...process.argv.slice(2)];
if (config.global.instances > 1 && !args.some((arg) => arg.startsWith("--instances") || arg === "-i")) {
	args.push("--instances", String(config.global.instances));
}

async function start() {
	// The servers the configuration names must answer first: a missing one is one line, not a stack or a reconnect loop.
	await preflight(dependenciesOf(config), {
		timeoutMs: config.global.startupTimeoutMs,
		onRetry: (dependency, reason) =>
			process.stderr.write(`pixcrawler: waiting for ${dependency.name} at ${dependency.target} (${reason})\n`),
	});
	await new PixCrawlerRunner().start(args);
}

start().catch((error: Error) => {
	process.stderr.write(`pixcrawler: ${error.message}\n`);
	process.exit(1);
});
