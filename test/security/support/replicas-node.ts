/**
 * One replica of the replica-notes service in an OS process of its own (`node --import tsx`), on a
 * broker built exactly as the platform's processes build theirs: the configuration from the environment
 * (namespace, node id, TRANSPORTER) and moleculer.config's options — retry policy, IdempotentRetries,
 * circuit breaker, serializer. REPLICA_NAME, REPLICA_STATE_REDIS_URL, REPLICA_STATE_PREFIX and
 * REPLICA_WORK_MS describe the service.
 */
import { ServiceBroker } from "moleculer";
import { getConfigOrExit } from "../../../lib/config";
import { brokerOptions } from "../../../moleculer.config";
import { replicaNotesService } from "./replicas-service";

const required = (name: string): string => {
	const value = process.env[name];
	if (!value) throw new Error(`replicas-node: ${name} is not set`);
	return value;
};

async function main() {
	const broker = new ServiceBroker(brokerOptions(getConfigOrExit()));
	broker.createService(
		replicaNotesService({
			replica: required("REPLICA_NAME"),
			redisUrl: required("REPLICA_STATE_REDIS_URL"),
			prefix: required("REPLICA_STATE_PREFIX"),
			workMs: Number(required("REPLICA_WORK_MS")),
		}),
	);
	await broker.start();
	process.stdout.write(`replica ${process.env.REPLICA_NAME} started\n`);
	process.once("SIGTERM", () => {
		broker.stop().finally(() => process.exit(0));
	});
}

main().catch((error: Error) => {
	process.stderr.write(`replicas-node: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
