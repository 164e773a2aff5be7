// Every test process starts from a known configuration: no .env, no servers unless a test asks.
import os from "node:os";
import path from "node:path";

process.env.PIXCRAWLER_ENV = "test";
process.env.PIXCRAWLER_LOG_LEVEL ??= "warn";
process.env.PIXCRAWLER_DB_IN_MEMORY ??= "true";
process.env.PIXCRAWLER_DATA_DIR ??= path.join(os.tmpdir(), `pixcrawler-test-${process.pid}`);
process.env.GATEWAY_PORT = "0";
process.env.GATEWAY_HOST = "127.0.0.1";
delete process.env.TRANSPORTER;
delete process.env.REDIS_URL;
delete process.env.MONGO_URI_FOR_CONTRACT;
