import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "../../lib/config";

/** The part of s3rver (which ships no type declarations) that the tests use. */
interface S3rverInstance {
	httpServer?: Server;
	run(): Promise<AddressInfo>;
	close(): Promise<void>;
}
type S3rverConstructor = new (options: {
	port: number;
	address: string;
	silent: boolean;
	directory: string;
	configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface S3TestServer {
	port: number;
	/** `http://127.0.0.1:<port>` */
	endpoint: string;
	bucket: string;
	/** Storage settings that point the S3 driver at this server. */
	storageConfig(overrides?: Partial<Config["storage"]>): Config["storage"];
	/** Closes the server and removes its directory. */
	stop(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/**
 * A real S3-protocol server (s3rver) on 127.0.0.1 and a free port, storing under a fresh temporary
 * directory, with one bucket already created.
 */
export async function startS3Server(bucket = "pixcrawler-test"): Promise<S3TestServer> {
	const S3rver = require("s3rver") as S3rverConstructor;
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-s3rver-"));
	const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
	let address: AddressInfo;
	try {
		address = await server.run();
	} catch (error) {
		fs.rmSync(directory, { recursive: true, force: true });
		throw error;
	}
	const endpoint = `http://127.0.0.1:${address.port}`;
	const base = loadConfig({
		...process.env,
		STORAGE_DRIVER: "s3",
		STORAGE_S3_BUCKET: bucket,
		STORAGE_S3_ENDPOINT: endpoint,
		STORAGE_S3_FORCE_PATH_STYLE: "true",
		STORAGE_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
		STORAGE_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
	}).storage;
	let stopped = false;
	return {
		port: address.port,
		endpoint,
		bucket,
		storageConfig: (overrides = {}) => ({ ...base, ...overrides }),
		async stop() {
			if (stopped) return;
			stopped = true;
			// keep-alive sockets of the SDK and of fetch would otherwise hold the close open
			server.httpServer?.closeAllConnections();
			await server.close();
			fs.rmSync(directory, { recursive: true, force: true });
		},
	};
}
