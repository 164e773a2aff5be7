import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Errors } from "moleculer";
import serveStatic from "serve-static";
import type { Config } from "../../lib/config";
import { ErrorType } from "../../lib/errors";
import { projectRoot } from "../../lib/project";

/** Where `npm run build` puts the dashboard (vite build --config web/vite.config.ts). */
export const DASHBOARD_DIR = path.join(projectRoot, "dist", "web");

/**
 * Paths the dashboard never answers, whatever the request accepts: the API, its docs, probes and
 * metrics keep their own 404s (a typo in an API path must not get a 200 HTML page).
 */
const RESERVED = ["/api", "/docs", "/redoc", "/health", "/metrics"];

/** Vite names built files by their content hash: they never change, so browsers keep them a year. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html names the current hashed files: always revalidated, so a deploy shows at the next load. */
const REVALIDATE = "no-cache";

/** The origins signed image links point at with the S3 driver (img-src); the local driver's are same-origin. */
export function storageImageOrigins({ storage }: Config): string[] {
	if (storage.driver !== "s3") return [];
	const endpoint = storage.s3PublicEndpoint || storage.s3Endpoint;
	if (endpoint) return [new URL(endpoint).origin];
	const region = storage.s3Region;
	return [`https://${storage.s3Bucket}.s3.${region}.amazonaws.com`, `https://s3.${region}.amazonaws.com`];
}

/** The dashboard's CSP: its own scripts and styles only (no inline code), images also from the store, no framing. */
export function dashboardCsp(config: Config): string {
	const images = ["'self'", "data:", ...storageImageOrigins(config)].join(" ");
	return [
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		`img-src ${images}`,
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	].join("; ");
}

function isReserved(pathname: string): boolean {
	return RESERVED.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** A browser asking for a page (a link, a reload, a typed address) rather than a script or an API client. */
function acceptsHtml(req: IncomingMessage): boolean {
	return (req.headers.accept ?? "").toLowerCase().includes("text/html");
}

type Next = (error?: unknown) => void;

/** 404 problem for a page request while there is no build (tests running from source, a build step skipped). */
function notBuilt() {
	return new Errors.MoleculerClientError("The dashboard is not built (dist/web is missing): run npm run build", 404, ErrorType.notFound);
}

/**
 * Serves the built dashboard for requests no route answered: its files from dist/web, and index.html
 * for any other page address a browser asks for (client-side routes such as /datasets/abc), so links and
 * reloads work. Without a build (tests running from source) page requests get a 404 problem saying so.
 */
export class Dashboard {
	private readonly files: ReturnType<typeof serveStatic<ServerResponse>>;
	private readonly indexFile: string;

	constructor(
		private readonly dir: string,
		private readonly setHeaders: (res: ServerResponse) => void,
	) {
		this.indexFile = path.join(dir, "index.html");
		this.files = serveStatic<ServerResponse>(dir, {
			index: false,
			fallthrough: true,
			dotfiles: "ignore",
			redirect: false,
			cacheControl: false,
			setHeaders: (res, file) => {
				this.setHeaders(res);
				const inAssets = path.relative(path.join(this.dir, "assets"), file).split(path.sep)[0] !== "..";
				res.setHeader("Cache-Control", inAssets ? IMMUTABLE : REVALIDATE);
			},
		});
	}

	/** Whether a build is there (checked per request: a build made while the gateway runs is picked up). */
	get built(): boolean {
		return fs.existsSync(this.indexFile);
	}

	/** Answers the request, or calls `next` (no error: the caller's 404; an error: its problem). */
	handle(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: Next) {
		if (req.method !== "GET" && req.method !== "HEAD") return next();
		const pathname = new URL(req.originalUrl ?? req.url ?? "/", "http://gateway").pathname;
		if (isReserved(pathname)) return next();
		const page = pathname === "/" || acceptsHtml(req);
		if (!this.built) return next(page ? notBuilt() : undefined);
		// serve-static resolves the path itself (and refuses ../ and dotfiles); it reads req.url
		req.url = req.originalUrl ?? req.url;
		this.files(req, res, (error?: unknown) => {
			if (error) return next(error);
			if (!page || pathname.startsWith("/assets/")) return next();
			this.sendIndex(req, res, next);
		});
	}

	private sendIndex(req: IncomingMessage, res: ServerResponse, next: Next) {
		fs.readFile(this.indexFile, (error, html) => {
			if (error) return next(notBuilt());
			this.setHeaders(res);
			res.setHeader("Cache-Control", REVALIDATE);
			res.setHeader("Content-Type", "text/html; charset=utf-8");
			res.setHeader("Content-Length", String(html.length));
			res.statusCode = 200;
			res.end(req.method === "HEAD" ? undefined : html);
		});
	}
}
