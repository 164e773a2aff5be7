import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * The image host of the benchmarks: a plain node:http server on 127.0.0.1 serving the cached image
 * sets (`/<set dir>/<index>.jpg` under `root`) with Content-Length, and 404 for robots.txt (no rules).
 * It runs in a process of its own so that serving images never counts as the pipeline's CPU.
 */

export interface ImageHost {
	/** `http://127.0.0.1:<port>` */
	url: string;
	pid: number;
	stop(): Promise<void>;
}

/** Starts the host in a child process and waits for it to listen. */
export async function startImageHost(root: string): Promise<ImageHost> {
	const child: ChildProcess = fork(__filename, [root], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
	const port = await new Promise<number>((resolve, reject) => {
		child.once("message", (message: { port: number }) => resolve(message.port));
		child.once("exit", (code) => reject(new Error(`the image host exited (${code}) before listening`)));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		pid: child.pid as number,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once("exit", resolve));
			child.kill("SIGTERM");
			await exited;
		},
	};
}

function serve(root: string): http.Server {
	return http.createServer((request, response) => {
		const match = /^\/([A-Za-z0-9._x-]+)\/(\d+)\.jpg$/.exec(request.url ?? "");
		if (!match) {
			response.writeHead(404, { "content-type": "text/plain", "content-length": "9" }).end("not found");
			return;
		}
		fs.readFile(path.join(root, match[1], `${match[2]}.jpg`), (error, bytes) => {
			if (error) {
				response.writeHead(404, { "content-type": "text/plain", "content-length": "9" }).end("not found");
				return;
			}
			response.writeHead(200, { "content-type": "image/jpeg", "content-length": String(bytes.length) }).end(bytes);
		});
	});
}

if (require.main === module) {
	const root = process.argv[2];
	if (!root) throw new Error("usage: image-host.ts <root>");
	const server = serve(root);
	server.keepAliveTimeout = 60_000;
	server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
	process.on("SIGTERM", () => {
		server.closeAllConnections();
		server.close(() => process.exit(0));
	});
	process.on("disconnect", () => process.exit(0));
}
