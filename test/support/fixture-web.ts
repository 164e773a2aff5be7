/**
 * A fixture web for crawl tests: one node:http server on 127.0.0.1 and a free port that plays every
 * search engine and the image hosts their results point at. Everything is generated from the
 * keyword, deterministically; generated image bytes are cached in memory.
 *
 * URL layout (`url` is `http://127.0.0.1:<port>`; point `CRAWL_SOURCE_<NAME>_URL` at the prefix, see `env()`):
 *
 *   Search engines (answers in each engine's real shape, test/support/source-fixtures.ts)
 *     /bing/images/async?q=&first=&count=        Bing HTML fragment, paged by 1-based `first` (count default 35)
 *     /duckduckgo/?q=                              token page carrying vqd="…"
 *     /duckduckgo/i.js?q=&vqd=&s=                  JSON, 100 a page (`duckduckgoPageSize`); a wrong vqd gets the 403 anomaly
 *     /google/search?tbm=isch&q=&start=            basic HTML, 20 a page (`googlePageSize`), a Next link while more remain
 *     /baidu/search/acjson?word=&pn=&rn=           JSON with the trailing empty object
 *     /wikimedia/w/api.php?gsrsearch=&gsroffset=&gsrlimit=   MediaWiki API JSON with licences and authors
 *     /openverse/v1/images/?q=&license=&page=&page_size=     Openverse JSON, licence filter applied server-side
 *   Catalogue (per keyword: `imagesPerKeyword` entries, default 60; see `catalogue()`)
 *     /img/<keyword>/<n>.<jpg|png|webp>          the n-th image; n % 10 == 4 is an exact copy of n-1 (same bytes),
 *                                                 n % 10 == 7 a near copy of n-1 (90 % size, JPEG quality 70)
 *     /thumb/<keyword>/<n>.jpg                    a 200 px wide thumbnail of the n-th image (Google's results are these)
 *     /page/<keyword>/<n>.html                    the page "showing" the image
 *     entries with n % 10 == 9 point at bad places, in turn: http://127.0.0.1:1/… (refused), /missing/… (404), /not-image/…
 *   Special hosts (<id> is any text; an extension .jpg/.png/.webp picks the format, JPEG otherwise)
 *     /slow/headers/<ms>/<id>    waits <ms> before the headers       /slow/body/<ms>/<id>   sends half, waits <ms>, sends the rest
 *     /fail-twice/<id>           503 the first two times per id, then the image
 *     /rate-limited/<id>         429 with Retry-After: 1 the first two times per id, then the image
 *     /redirect/<n>/<rest>       302 to /redirect/<n-1>/<rest>; at 0 serves /<rest> when that is a route here, else the image for <rest>
 *     /redirect-to?location=<u>  302 to any location (SSRF checks: a redirect to a private or metadata address)
 *     /huge/<id>                 `hugeBytes` (default 25 MiB) of JPEG-headed bytes, streamed without Content-Length
 *     /huge/declared/<id>        the same with Content-Length
 *     /not-image/<id>            an HTML page (text/html, or the content type given as `?as=`)
 *     /svg/<id>                  image/svg+xml (with a script element)
 *     /truncated/<id>            the first 60 % of a JPEG, with a matching Content-Length
 *     /tiny/<id>                 a 16×16 image
 *     /blank/<id>                a uniform grey 400×300 image
 *     /robots-blocked/<id>       an image that /robots.txt disallows (`Disallow: /robots-blocked/`)
 *     /noai/<id>, /noimageai/<id>  an image with `X-Robots-Tag: noai` (or `noimageai`)
 *     /missing/<anything>        404
 *     /robots.txt                `User-agent: *` / `Disallow: /robots-blocked/`
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { openverseLicenseCode } from "../../services/crawl/sources/licenses";
import { LICENSES } from "../../services/dataset/definition";
import { type DrawingStyle, drawPixels } from "./drawing";
import {
	baiduBlocked,
	baiduJson,
	bingAsyncHtml,
	bingBlocked,
	duckduckgoBlocked,
	duckduckgoJson,
	duckduckgoNext,
	duckduckgoTokenPage,
	duckduckgoVqd,
	type FixtureResponse,
	type FixtureResult,
	googleBasicHtml,
	googleBlocked,
	openverseBlocked,
	openverseJson,
	wikimediaBlocked,
	wikimediaJson,
} from "./source-fixtures";

export const ENGINES = ["bing", "duckduckgo", "google", "baidu", "wikimedia", "openverse"] as const;
export type Engine = (typeof ENGINES)[number];
/** normal answers; blocked answers the engine's own block page; rate-limited is 429 + Retry-After: 1; error is 503; empty has no results. */
export type EngineBehaviour = "normal" | "blocked" | "rate-limited" | "error" | "empty";

export interface FixtureWebOptions {
	/** Catalogue entries per keyword (default 60). */
	imagesPerKeyword?: number;
	/** Per-keyword overrides of imagesPerKeyword (0 gives a keyword with no results). */
	counts?: Record<string, number>;
	/** Bytes /huge/ sends (default 25 MiB, above the default CRAWL_MAX_IMAGE_BYTES). */
	hugeBytes?: number;
	duckduckgoPageSize?: number;
	googlePageSize?: number;
}

export type EntryKind = "unique" | "duplicate" | "near-duplicate" | "bad";

export interface CatalogueEntry extends FixtureResult {
	index: number;
	kind: EntryKind;
	/** For duplicates and near-duplicates: the index of the entry they copy. */
	duplicateOf?: number;
	thumbnailUrl: string;
	license: string;
	author: string;
}

export interface LoggedRequest {
	method: string;
	/** Path and query as requested. */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	at: number;
}

export interface FixtureWeb {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** The crawl config's source base URLs pointing here. */
	sourceUrls(): Record<`${Engine}Url`, string>;
	/** The same as `CRAWL_SOURCE_<NAME>_URL` variables. */
	env(): Record<string, string>;
	/** What the engines answer for a keyword, in rank order. */
	catalogue(keyword: string): CatalogueEntry[];
	/** Requests received so far (those whose path starts with the prefix, when given). */
	requests(pathPrefix?: string): LoggedRequest[];
	clearRequests(): void;
	setBehaviour(engine: Engine | "all", behaviour: EngineBehaviour): void;
	/** The bytes an image path serves (`/img/…`, `/thumb/…`, or a special host's path), for comparisons. */
	imageBytes(path: string): Promise<Buffer>;
	stop(): Promise<void>;
}

const DEFAULT_IMAGES_PER_KEYWORD = 60;
const DEFAULT_HUGE_BYTES = 25 * 1024 * 1024;
const EXTENSIONS = ["jpg", "png", "webp"] as const;
const CONTENT_TYPES: Record<string, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };
/** The licences catalogue entries carry, in turn (`unknown` is not one a licensed API reports). */
const LICENSE_CYCLE = LICENSES.filter((license) => license !== "unknown");
/** Routes /redirect/0/<rest> may hand over to. */
const ROUTES = new Set([
	"img",
	"thumb",
	"page",
	"slow",
	"fail-twice",
	"rate-limited",
	"huge",
	"not-image",
	"svg",
	"truncated",
	"tiny",
	"blank",
	"robots-blocked",
	"noai",
	"noimageai",
	"missing",
]);

type Format = "jpeg" | "png" | "webp";

/** Everything that decides an image's bytes; equal specs give equal bytes. */
interface ImageSpec {
	seed: number;
	/** Size of the drawing. */
	drawWidth: number;
	drawHeight: number;
	/** Size served (a near copy is the drawing resized). */
	width: number;
	height: number;
	format: Format;
	quality: number;
	blank?: boolean;
}

const hash32 = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);

function formatOf(extension: string | undefined): Format {
	if (extension === "png") return "png";
	if (extension === "webp") return "webp";
	return "jpeg";
}

/** The fixture web's pictures: a few large shapes and light noise. */
const FIXTURE_STYLE: DrawingStyle = { minShapes: 3, extraShapes: 4, minSide: 0.2, sideSpread: 0.4, noise: 4 };

function draw(seed: number, width: number, height: number, blank = false): Buffer {
	if (blank) return Buffer.alloc(width * height * 3, 128);
	return drawPixels(seed, width, height, FIXTURE_STYLE);
}

async function render(spec: ImageSpec): Promise<Buffer> {
	const raw = draw(spec.seed, spec.drawWidth, spec.drawHeight, spec.blank);
	let image = sharp(raw, { raw: { width: spec.drawWidth, height: spec.drawHeight, channels: 3 } });
	if (spec.width !== spec.drawWidth || spec.height !== spec.drawHeight) image = image.resize(spec.width, spec.height, { fit: "fill" });
	if (spec.format === "png") return image.png({ compressionLevel: 6 }).toBuffer();
	if (spec.format === "webp") return image.webp({ quality: spec.quality }).toBuffer();
	return image.jpeg({ quality: spec.quality }).toBuffer();
}

function baseSpec(seed: number, format: Format): ImageSpec {
	const width = 320 + (seed % 6) * 64;
	const height = 240 + ((seed >>> 8) % 5) * 48;
	return { seed, drawWidth: width, drawHeight: height, width, height, format, quality: 85 };
}

/** The n-th catalogue image of a keyword: slot 4 copies n-1 exactly, slot 7 is n-1 resized and recompressed. */
function catalogueSpec(keyword: string, n: number, extension: string): ImageSpec {
	const slot = n % 10;
	if (slot === 4 && n > 0) return catalogueSpec(keyword, n - 1, extension);
	if (slot === 7) {
		const original = catalogueSpec(keyword, n - 1, extension);
		return {
			...original,
			width: Math.round(original.drawWidth * 0.9),
			height: Math.round(original.drawHeight * 0.9),
			format: "jpeg",
			quality: 70,
		};
	}
	return baseSpec(hash32(`img:${keyword}:${n}`), formatOf(extension));
}

/** The catalogue's extension for entry n (copies keep their original's, near copies are JPEG). */
function catalogueExtension(n: number): string {
	const slot = n % 10;
	if (slot === 4 && n > 0) return catalogueExtension(n - 1);
	if (slot === 7) return "jpg";
	return EXTENSIONS[n % EXTENSIONS.length];
}

function specialSpec(id: string): ImageSpec {
	const extension = /\.([a-z0-9]+)$/i.exec(id)?.[1]?.toLowerCase();
	const seed = hash32(`special:${id}`);
	return { seed, drawWidth: 400, drawHeight: 300, width: 400, height: 300, format: formatOf(extension), quality: 85 };
}

const tinySpec = (id: string): ImageSpec => ({ ...specialSpec(id), drawWidth: 16, drawHeight: 16, width: 16, height: 16 });
const blankSpec = (id: string): ImageSpec => ({ ...specialSpec(id), blank: true });

function thumbSpec(keyword: string, n: number): ImageSpec {
	const original = catalogueSpec(keyword, n, "jpg");
	const width = 200;
	return { ...original, width, height: Math.round((original.height * width) / original.width), format: "jpeg", quality: 80 };
}

/** The image a path serves in full (decoded segments), or undefined for paths that serve no whole image. */
function imageSpecForPath(segments: string[]): ImageSpec | undefined {
	const [route, ...rest] = segments;
	const id = rest.join("/");
	switch (route) {
		case "img": {
			const match = /^(\d+)\.([a-z]+)$/.exec(rest[1] ?? "");
			return rest.length === 2 && match ? catalogueSpec(rest[0], Number(match[1]), match[2]) : undefined;
		}
		case "thumb": {
			const match = /^(\d+)\.[a-z]+$/.exec(rest[1] ?? "");
			return rest.length === 2 && match ? thumbSpec(rest[0], Number(match[1])) : undefined;
		}
		case "slow":
			return (rest[0] === "headers" || rest[0] === "body") && rest.length > 2 ? specialSpec(rest.slice(2).join("/")) : undefined;
		case "redirect": {
			if (!/^\d+$/.test(rest[0] ?? "") || rest.length < 2) return undefined;
			return ROUTES.has(rest[1]) ? imageSpecForPath(rest.slice(1)) : specialSpec(rest.slice(1).join("/"));
		}
		case "fail-twice":
		case "rate-limited":
		case "robots-blocked":
		case "noai":
		case "noimageai":
			return id === "" ? undefined : specialSpec(id);
		case "tiny":
			return tinySpec(id);
		case "blank":
			return blankSpec(id);
		default:
			return undefined;
	}
}

export async function startFixtureWeb(options: FixtureWebOptions = {}): Promise<FixtureWeb> {
	const imagesPerKeyword = options.imagesPerKeyword ?? DEFAULT_IMAGES_PER_KEYWORD;
	const hugeBytes = options.hugeBytes ?? DEFAULT_HUGE_BYTES;
	const duckduckgoPageSize = options.duckduckgoPageSize ?? 100;
	const googlePageSize = options.googlePageSize ?? 20;
	const behaviours = new Map<Engine, EngineBehaviour>();
	const log: LoggedRequest[] = [];
	const failures = new Map<string, number>();
	const cache = new Map<string, Promise<Buffer>>();
	const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	let base = "";

	const bytesOf = (spec: ImageSpec): Promise<Buffer> => {
		const key = JSON.stringify(spec);
		let bytes = cache.get(key);
		if (!bytes) {
			bytes = render(spec);
			cache.set(key, bytes);
			bytes.catch(() => cache.delete(key));
		}
		return bytes;
	};

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const entry = {
				resolve,
				timer: setTimeout(() => {
					timers.delete(entry);
					resolve();
				}, ms),
			};
			timers.add(entry);
		});

	const catalogue = (keyword: string): CatalogueEntry[] => {
		const count = options.counts?.[keyword] ?? imagesPerKeyword;
		const encoded = encodeURIComponent(keyword);
		const entries: CatalogueEntry[] = [];
		for (let index = 0; index < count; index++) {
			const slot = index % 10;
			const extension = catalogueExtension(index);
			const spec = catalogueSpec(keyword, index, extension);
			let imageUrl = `${base}/img/${encoded}/${index}.${extension}`;
			let kind: EntryKind = slot === 4 && index > 0 ? "duplicate" : slot === 7 ? "near-duplicate" : "unique";
			if (slot === 9) {
				kind = "bad";
				const turn = Math.floor(index / 10) % 3;
				imageUrl =
					turn === 0
						? `http://127.0.0.1:1/img/${encoded}/${index}.jpg`
						: turn === 1
							? `${base}/missing/${encoded}/${index}.jpg`
							: `${base}/not-image/${encoded}-${index}.html`;
			}
			const entry: CatalogueEntry = {
				index,
				kind,
				imageUrl,
				pageUrl: `${base}/page/${encoded}/${index}.html`,
				thumbnailUrl: `${base}/thumb/${encoded}/${index}.jpg`,
				title: `${keyword} picture ${index}`,
				width: spec.width,
				height: spec.height,
				license: LICENSE_CYCLE[index % LICENSE_CYCLE.length],
				author: `Photographer ${index % 7}`,
			};
			if (kind === "duplicate" || kind === "near-duplicate") entry.duplicateOf = index - 1;
			entries.push(entry);
		}
		return entries;
	};

	const send = (
		response: http.ServerResponse,
		status: number,
		contentType: string,
		body: string | Buffer,
		headers: Record<string, string> = {},
	) => {
		response.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), ...headers });
		response.end(body);
	};
	const sendFixture = (response: http.ServerResponse, fixture: FixtureResponse) =>
		send(response, fixture.status, fixture.headers["content-type"] ?? "text/plain", fixture.body, fixture.headers);
	const sendImage = async (response: http.ServerResponse, spec: ImageSpec, headers: Record<string, string> = {}) =>
		send(response, 200, CONTENT_TYPES[spec.format], await bytesOf(spec), headers);
	const notFound = (response: http.ServerResponse) => send(response, 404, "text/plain; charset=utf-8", "not found");

	/** Writes a chunk; false once the client has gone. */
	const write = (response: http.ServerResponse, chunk: Buffer) =>
		new Promise<boolean>((resolve) => {
			if (response.destroyed) return resolve(false);
			if (response.write(chunk)) return resolve(true);
			const done = (ok: boolean) => {
				response.off("drain", onDrain);
				response.off("close", onClose);
				resolve(ok);
			};
			const onDrain = () => done(true);
			const onClose = () => done(false);
			response.on("drain", onDrain);
			response.on("close", onClose);
		});

	/** Answers an engine's non-normal behaviour; true when it did. */
	const misbehave = (engine: Engine, response: http.ServerResponse, blocked: () => FixtureResponse): boolean => {
		const behaviour = behaviours.get(engine) ?? "normal";
		if (behaviour === "blocked") sendFixture(response, blocked());
		else if (behaviour === "rate-limited") send(response, 429, "text/plain", "Too Many Requests", { "retry-after": "1" });
		else if (behaviour === "error") send(response, 503, "text/plain", "Service Unavailable");
		else return false;
		return true;
	};
	const found = (engine: Engine, keyword: string) =>
		(behaviours.get(engine) ?? "normal") === "empty" || keyword === "" ? [] : catalogue(keyword);
	const int = (value: string | undefined, fallback: number) => {
		const number = Number(value);
		return value !== undefined && value !== "" && Number.isInteger(number) && number >= 0 ? number : fallback;
	};

	const engines = async (engine: Engine, rest: string, query: Record<string, string>, response: http.ServerResponse) => {
		if (engine === "bing" && rest === "/images/async") {
			if (misbehave("bing", response, bingBlocked)) return;
			const keyword = query.q ?? "";
			const first = Math.max(1, int(query.first, 1));
			const count = Math.max(1, int(query.count, 35));
			const all = found("bing", keyword);
			const page = all.slice(first - 1, first - 1 + count);
			const nextFirst = first - 1 + count < all.length ? first + count : null;
			return send(response, 200, "text/html; charset=utf-8", bingAsyncHtml(page, nextFirst, { keyword, count }));
		}
		if (engine === "duckduckgo" && (rest === "" || rest === "/")) {
			if (misbehave("duckduckgo", response, () => duckduckgoBlocked("page"))) return;
			const keyword = query.q ?? "";
			return send(response, 200, "text/html; charset=utf-8", duckduckgoTokenPage(duckduckgoVqd(keyword), "double", keyword));
		}
		if (engine === "duckduckgo" && rest === "/i.js") {
			if (misbehave("duckduckgo", response, () => duckduckgoBlocked("json"))) return;
			const keyword = query.q ?? "";
			const vqd = duckduckgoVqd(keyword);
			if (query.vqd !== vqd) return sendFixture(response, duckduckgoBlocked("json"));
			const offset = int(query.s, 0);
			const page = found("duckduckgo", keyword).slice(offset, offset + duckduckgoPageSize);
			const next = duckduckgoNext(keyword, vqd, offset + duckduckgoPageSize);
			return send(response, 200, "application/json", duckduckgoJson(page, next, { query: keyword, vqd }));
		}
		if (engine === "google" && rest === "/search") {
			if (misbehave("google", response, googleBlocked)) return;
			const keyword = query.q ?? "";
			const start = int(query.start, 0);
			const all = found("google", keyword);
			const page = all.slice(start, start + googlePageSize);
			const nextStart = start + googlePageSize < all.length ? start + googlePageSize : null;
			return send(response, 200, "text/html; charset=UTF-8", googleBasicHtml(page, { query: keyword, nextStart }));
		}
		if (engine === "baidu" && rest === "/search/acjson") {
			if (misbehave("baidu", response, baiduBlocked)) return;
			const keyword = query.word ?? query.queryWord ?? "";
			const offset = int(query.pn, 0);
			const size = Math.max(1, int(query.rn, 30));
			const all = found("baidu", keyword);
			return send(response, 200, "application/json", baiduJson(all.slice(offset, offset + size), { query: keyword, listNum: all.length }));
		}
		if (engine === "wikimedia" && rest === "/w/api.php") {
			if (misbehave("wikimedia", response, wikimediaBlocked)) return;
			const keyword = query.gsrsearch ?? "";
			const offset = int(query.gsroffset, 0);
			const limit = Math.max(1, int(query.gsrlimit, 10));
			const all = found("wikimedia", keyword);
			const page = all.slice(offset, offset + limit);
			const next = offset + limit < all.length ? offset + limit : null;
			return send(
				response,
				200,
				"application/json; charset=utf-8",
				wikimediaJson(page, next, { offset, totalhits: all.length, query: keyword }),
			);
		}
		if (engine === "openverse" && (rest === "/v1/images/" || rest === "/v1/images")) {
			if (misbehave("openverse", response, openverseBlocked)) return;
			const keyword = query.q ?? "";
			const page = Math.max(1, int(query.page, 1));
			const pageSize = Math.max(1, int(query.page_size, 20));
			const codes = (query.license ?? "").split(",").filter(Boolean);
			const all = found("openverse", keyword).filter(
				(entry) => codes.length === 0 || codes.includes(openverseLicenseCode(entry.license) ?? ""),
			);
			const pageCount = Math.ceil(all.length / pageSize);
			const results = all.slice((page - 1) * pageSize, page * pageSize);
			return send(response, 200, "application/json", openverseJson(results, page, pageCount, { pageSize, resultCount: all.length }));
		}
		return notFound(response);
	};

	const hosts = async (segments: string[], query: Record<string, string>, response: http.ServerResponse): Promise<void> => {
		const [route, ...rest] = segments;
		const id = rest.join("/");
		switch (route) {
			case "img":
			case "thumb": {
				const spec = imageSpecForPath(segments);
				return spec ? sendImage(response, spec) : notFound(response);
			}
			case "page": {
				const match = /^(\d+)\.html$/.exec(rest[1] ?? "");
				if (rest.length !== 2 || !match) return notFound(response);
				const keyword = rest[0];
				const n = Number(match[1]);
				const image = `/img/${encodeURIComponent(keyword)}/${n}.${catalogueExtension(n)}`;
				const html = `<!DOCTYPE html><html><head><title>${keyword} picture ${n}</title><meta property="og:image" content="${base}${image}"></head><body><h1>${keyword} picture ${n}</h1><img src="${image}" alt="${keyword}"></body></html>`;
				return send(response, 200, "text/html; charset=utf-8", html);
			}
			case "slow": {
				const [phase, ms, ...name] = rest;
				const delay = Math.min(60_000, int(ms, 1000));
				if ((phase !== "headers" && phase !== "body") || name.length === 0) return notFound(response);
				const spec = specialSpec(name.join("/"));
				const bytes = await bytesOf(spec);
				if (phase === "headers") {
					await sleep(delay);
					if (response.destroyed) return;
					return send(response, 200, CONTENT_TYPES[spec.format], bytes);
				}
				response.writeHead(200, { "content-type": CONTENT_TYPES[spec.format], "content-length": String(bytes.length) });
				const half = Math.floor(bytes.length / 2);
				if (!(await write(response, bytes.subarray(0, half)))) return;
				await sleep(delay);
				if (response.destroyed) return;
				response.end(bytes.subarray(half));
				return;
			}
			case "fail-twice":
			case "rate-limited": {
				if (id === "") return notFound(response);
				const key = `${route}/${id}`;
				const seen = failures.get(key) ?? 0;
				failures.set(key, seen + 1);
				if (seen < 2) {
					if (route === "fail-twice") return send(response, 503, "text/plain", "Service Unavailable");
					return send(response, 429, "text/plain", "Too Many Requests", { "retry-after": "1" });
				}
				return sendImage(response, specialSpec(id));
			}
			case "redirect": {
				const [hops, ...target] = rest;
				const remaining = int(hops, -1);
				if (remaining < 0 || target.length === 0) return notFound(response);
				if (remaining > 0) {
					response.writeHead(302, { location: `/redirect/${remaining - 1}/${target.join("/")}`, "content-length": "0" });
					response.end();
					return;
				}
				if (ROUTES.has(target[0])) return hosts(target, query, response);
				return sendImage(response, specialSpec(target.join("/")));
			}
			case "redirect-to": {
				if (!query.location) return notFound(response);
				response.writeHead(302, { location: query.location, "content-length": "0" });
				response.end();
				return;
			}
			case "huge": {
				const declared = rest[0] === "declared";
				const name = (declared ? rest.slice(1) : rest).join("/");
				const head = (await bytesOf({ ...specialSpec(name), format: "jpeg" })).subarray(0, 2048);
				response.writeHead(200, { "content-type": "image/jpeg", ...(declared ? { "content-length": String(hugeBytes) } : {}) });
				let sent = 0;
				const filler = Buffer.alloc(64 * 1024, 0x5a);
				while (sent < hugeBytes) {
					const chunk = sent === 0 ? head : filler;
					const piece = chunk.subarray(0, Math.min(chunk.length, hugeBytes - sent));
					if (!(await write(response, piece))) return;
					sent += piece.length;
				}
				response.end();
				return;
			}
			case "not-image": {
				const type = query.as ?? "text/html; charset=utf-8";
				return send(response, 200, type, `<!DOCTYPE html><html><head><title>Not an image</title></head><body><p>${id}</p></body></html>`);
			}
			case "svg": {
				const svg = `<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>alert(1)</script><rect width="400" height="300" fill="#3a7"/></svg>`;
				return send(response, 200, "image/svg+xml", svg);
			}
			case "truncated": {
				const bytes = await bytesOf({ ...specialSpec(id), format: "jpeg" });
				return send(response, 200, "image/jpeg", bytes.subarray(0, Math.floor(bytes.length * 0.6)));
			}
			case "tiny": {
				return sendImage(response, tinySpec(id));
			}
			case "blank":
				return sendImage(response, blankSpec(id));
			case "robots-blocked":
				return sendImage(response, specialSpec(id));
			case "noai":
			case "noimageai":
				return sendImage(response, specialSpec(id), { "x-robots-tag": route });
			default:
				return notFound(response);
		}
	};

	const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
		const parsed = new URL(request.url ?? "/", "http://fixture.invalid");
		const query = Object.fromEntries(parsed.searchParams);
		log.push({
			method: request.method ?? "GET",
			url: request.url ?? "/",
			path: parsed.pathname,
			query,
			headers: request.headers,
			at: Date.now(),
		});
		if (parsed.pathname === "/robots.txt") return send(response, 200, "text/plain", "User-agent: *\nDisallow: /robots-blocked/\n");
		const segments = parsed.pathname
			.split("/")
			.slice(1)
			.map((segment) => {
				try {
					return decodeURIComponent(segment);
				} catch {
					return segment;
				}
			});
		const engine = ENGINES.find((name) => segments[0] === name);
		if (engine) return engines(engine, parsed.pathname.slice(engine.length + 1), query, response);
		return hosts(segments, query, response);
	};

	const server = http.createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) send(response, 500, "text/plain", String(error));
			else response.destroy();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => resolve());
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const sourceUrls = () =>
		Object.fromEntries(ENGINES.map((engine) => [`${engine}Url`, `${base}/${engine}`])) as Record<`${Engine}Url`, string>;

	return {
		url: base,
		sourceUrls,
		env: () => Object.fromEntries(ENGINES.map((engine) => [`CRAWL_SOURCE_${engine.toUpperCase()}_URL`, `${base}/${engine}`])),
		catalogue,
		requests: (pathPrefix) => log.filter((entry) => pathPrefix === undefined || entry.path.startsWith(pathPrefix)),
		clearRequests: () => {
			log.length = 0;
		},
		setBehaviour: (engine, behaviour) => {
			for (const name of engine === "all" ? ENGINES : [engine]) behaviours.set(name, behaviour);
		},
		imageBytes: async (path) => {
			const segments = new URL(path, base).pathname.split("/").slice(1).map(decodeURIComponent);
			const spec = imageSpecForPath(segments);
			if (!spec) throw new Error(`${path} serves no whole image`);
			return bytesOf(spec);
		},
		stop: async () => {
			for (const entry of timers) {
				clearTimeout(entry.timer);
				entry.resolve();
			}
			timers.clear();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
