/**
 * A hostile web for the security tests: one TCP server on 127.0.0.1 and a free port speaking just enough
 * HTTP/1.1 to play a malicious or broken image host. It is a raw socket server rather than node:http because
 * node:http will not lie: it refuses a body longer than its Content-Length, writes headers in one go and caps
 * nothing we need uncapped. Every response says `Connection: close` and ends its connection.
 *
 * Everything is generated at start (sharp draws the pictures); nothing large is held in memory: bombs are
 * streamed from one repeated unit.
 *
 *   Controls (valid pictures the crawler must keep)
 *     /ok/<id>.jpg, /ok/<id>.png       a 400×300 drawing (seeded by <id>)
 *     /ok/metadata-<id>.jpg            the same carrying what real photographs carry: EXIF, an XMP packet (XML, an
 *                                       escaped tag in its title), a Display P3 ICC profile — markup that is no payload
 *   Decompression bombs
 *     /bomb/gzip.jpg                   Content-Encoding: gzip, Content-Type: image/jpeg, `encodedBombBytes` of zeros
 *                                       (gzip members of 64 MiB each, ~1030:1)
 *     /bomb/deflate.jpg                Content-Encoding: deflate (zlib stream, ~1010:1)
 *     /bomb/br.jpg                     Content-Encoding: br (~80 000:1)
 *     /bomb/raw-gzip.jpg               the gzip bytes themselves as the body, image/jpeg, no Content-Encoding
 *                                       (`rawBombBytes` of zeros; sized to stay under the crawler's byte limit)
 *   Pixel bombs (valid headers, tiny files)
 *     /pixels/png-50000.png            PNG claiming 50000×50000 (2.5 gigapixels), 177 bytes
 *     /pixels/png-100000.png           PNG claiming 100000×100000 (10 gigapixels)
 *     /pixels/jpeg-50000.jpg           a real JPEG whose frame header claims 50000×50000
 *     /pixels/gif-65535.gif            a real GIF whose screen and frame claim 65535×65535
 *     /pixels/webp-16383.webp          a real WebP (VP8) whose frame claims 16383×16383, the format's maximum
 *   Truncated
 *     /truncated/jpeg.jpg, /truncated/png.png   the first 60 % of a picture, with a matching Content-Length
 *   Polyglots
 *     /polyglot/jpeg-zip.jpg           a valid JPEG with a ZIP archive appended (payload.html inside)
 *     /polyglot/gifar.gif              a valid GIF with a JAR appended (GIFAR: META-INF/MANIFEST.MF, a class file)
 *     /polyglot/jpeg-html-comment.jpg  a valid JPEG whose COM segment is an HTML page with a script
 *     /polyglot/pdf-in-jpeg.jpg        a valid JPEG whose COM segment, right after SOI, is a whole PDF document
 *     /polyglot/html-gif-magic.gif     an HTML page that starts with GIF89a
 *   Disguised
 *     /disguised/svg-as-jpeg.jpg       an SVG with a script, served as image/jpeg
 *     /disguised/svg.svg               the same, served as image/svg+xml
 *     /disguised/html-as-png.png       an HTML error page served as image/png
 *   Slow drip (one byte every `dripIntervalMs`, forever, well inside any idle timeout)
 *     /drip/headers.jpg                the status line, then the headers a byte at a time
 *     /drip/body.jpg                   all headers (Content-Length of a picture), then the body a byte at a time
 *   Endless redirects
 *     /redirect/loop/a, /redirect/loop/b   302 to each other
 *     /redirect/chain/<n>              302 to /redirect/chain/<n+1>, for ever
 *   Enormous headers (then a valid picture)
 *     /headers/one-megabyte.jpg        one 1 MiB header
 *     /headers/thousands.jpg           10 000 headers
 *   Content-Length lies
 *     /length/claims-less.jpg          Content-Length: 100, then the whole picture
 *     /length/claims-more.jpg          Content-Length: twice the picture, then the picture, then the connection closes
 *   Too large (JPEG-headed bytes, `oversizeBytes` of them)
 *     /too-large/declared.jpg          with that Content-Length
 *     /too-large/streamed.jpg          without Content-Length, the body ending when the connection does
 *   Anything else (robots.txt included): 404
 */
import { once } from "node:events";
import net from "node:net";
import zlib from "node:zlib";
import sharp from "sharp";
import yazl from "yazl";
import { drawPixels } from "../../support/drawing";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface HostileWebOptions {
	/** Pause between two bytes of a drip (default 200 ms). */
	dripIntervalMs?: number;
	/** Bytes of zeros each Content-Encoding bomb inflates to (default 8 GiB). */
	encodedBombBytes?: number;
	/** Bytes of zeros /bomb/raw-gzip.jpg inflates to (default 3 GiB: about 3.1 MB of gzip). */
	rawBombBytes?: number;
	/** Bytes /too-large/ sends (default 64 MiB). */
	oversizeBytes?: number;
}

export interface ServedRequest {
	readonly path: string;
	/** When the request arrived (ms since the epoch). */
	readonly at: number;
	/** Bytes written to its connection so far, headers included. */
	readonly bytesWritten: number;
	/** Whether the connection has closed. */
	readonly closed: boolean;
}

export interface BombSize {
	/** Bytes on the wire. */
	compressed: number;
	/** Bytes they inflate to. */
	inflated: number;
	/** A whole stream in the same encoding, made the same way, that inflates to 64 MiB: to check the ratio. */
	sample: Buffer;
}

export interface HostileWeb {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Requests whose path starts with the prefix, in arrival order. */
	requests(pathPrefix?: string): ServedRequest[];
	bombs: Record<"gzip" | "deflate" | "br" | "rawGzip", BombSize>;
	/** The control pictures' bytes, by path. */
	controlBytes(path: string): Promise<Buffer>;
	stop(): Promise<void>;
}

type Handler = (socket: net.Socket, path: string) => void | Promise<void>;

/** A body that is one prefix, a unit repeated, and a suffix: how the bombs are streamed without being held. */
interface RepeatedBody {
	head: Buffer;
	unit: Buffer;
	repeats: number;
	tail: Buffer;
}

const bodyLength = (body: RepeatedBody) => body.head.length + body.unit.length * body.repeats + body.tail.length;

/**
 * Compresses 1 MiB of zeros `count` times with a flush after each: after the first, every flushed piece is
 * the same bytes (the window is all zeros, the input the same), so a stream of any length is the first piece,
 * that unit repeated, and the end. The pieces come back in order, the end last.
 */
function flushedPieces(stream: zlib.Gzip | zlib.Deflate | zlib.BrotliCompress, flushKind: number, count: number): Promise<Buffer[]> {
	const zeros = Buffer.alloc(MiB);
	const pieces: Buffer[] = [];
	const take = () => {
		const parts: Buffer[] = [];
		for (let part = stream.read() as Buffer | null; part !== null; part = stream.read() as Buffer | null) parts.push(part);
		return Buffer.concat(parts);
	};
	return new Promise((resolve, reject) => {
		stream.once("error", reject);
		const step = (done: number) => {
			if (done === count) {
				const rest: Buffer[] = [];
				stream.on("data", (part: Buffer) => rest.push(part));
				stream.once("end", () => resolve([...pieces, Buffer.concat(rest)]));
				stream.end();
				return;
			}
			stream.write(zeros);
			stream.flush(flushKind, () => {
				pieces.push(take());
				step(done + 1);
			});
		};
		step(0);
	});
}

/** A zlib stream (Content-Encoding: deflate) of `bytes` zeros; its Adler-32 is computed, not streamed through. */
async function deflateBomb(bytes: number): Promise<RepeatedBody> {
	const [head, unit] = await flushedPieces(zlib.createDeflate({ level: 9 }), zlib.constants.Z_SYNC_FLUSH, 2);
	// Adler-32 of n zeros: the sum of bytes stays 1, the sum of sums is n (mod 65521).
	const adler = Buffer.alloc(4);
	adler.writeUInt32BE((((bytes % 65521) << 16) | 1) >>> 0);
	// 0x03 0x00: an empty final block with fixed codes
	return { head, unit, repeats: bytes / MiB - 1, tail: Buffer.concat([Buffer.from([0x03, 0x00]), adler]) };
}

/** A brotli stream of `bytes` zeros: 13 bytes per MiB. */
async function brotliBomb(bytes: number): Promise<RepeatedBody> {
	const stream = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
	const [head, unit, , tail] = await flushedPieces(stream, zlib.constants.BROTLI_OPERATION_FLUSH, 3);
	return { head, unit, repeats: bytes / MiB - 1, tail };
}

/** A gzip file of `bytes` zeros: a series of identical 64 MiB members (RFC 1952 §2.2), each with its own CRC. */
function gzipBomb(bytes: number): RepeatedBody {
	const member = zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
	return { head: Buffer.alloc(0), unit: member, repeats: bytes / (64 * MiB), tail: Buffer.alloc(0) };
}

function drawing(seed: number, width = 400, height = 300) {
	const style = { minShapes: 3, extraShapes: 4, minSide: 0.2, sideSpread: 0.4, noise: 6 };
	return sharp(drawPixels(seed, width, height, style), { raw: { width, height, channels: 3 } });
}

const seedOf = (text: string) => [...text].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7);

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(body) >>> 0);
	return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims width × height 1-bit grey pixels; its image data holds only the first rows. */
function pngClaiming(width: number, height: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 1; // bit depth
	header[9] = 0; // greyscale
	const firstRows = Buffer.alloc((1 + Math.ceil(width / 8)) * 16);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk("IHDR", header),
		pngChunk("IDAT", zlib.deflateSync(firstRows)),
		pngChunk("IEND", Buffer.alloc(0)),
	]);
}

/** A copy of a JPEG whose frame header (SOF0–SOF2) claims width × height. */
function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
	const copy = Buffer.from(jpeg);
	for (let offset = 2; offset + 4 < copy.length; offset += 2 + copy.readUInt16BE(offset + 2)) {
		const marker = copy[offset + 1];
		if (marker >= 0xc0 && marker <= 0xc2) {
			copy.writeUInt16BE(height, offset + 5);
			copy.writeUInt16BE(width, offset + 7);
			return copy;
		}
	}
	throw new Error("no SOF marker in the JPEG");
}

/** A copy of a GIF whose logical screen and first frame both claim width × height. */
function gifClaiming(gif: Buffer, width: number, height: number): Buffer {
	const copy = Buffer.from(gif);
	copy.writeUInt16LE(width, 6);
	copy.writeUInt16LE(height, 8);
	const packed = copy[10];
	let offset = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
	while (copy[offset] === 0x21) {
		// an extension: introducer, label, then sub-blocks until a zero-length one
		offset += 2;
		while (copy[offset] !== 0) offset += copy[offset] + 1;
		offset += 1;
	}
	if (copy[offset] !== 0x2c) throw new Error("no image descriptor in the GIF");
	copy.writeUInt16LE(width, offset + 5);
	copy.writeUInt16LE(height, offset + 7);
	return copy;
}

/** A copy of a simple lossy WebP (RIFF/WEBP/VP8) whose key frame claims width × height (14 bits each). */
function webpClaiming(webp: Buffer, width: number, height: number): Buffer {
	const copy = Buffer.from(webp);
	if (copy.subarray(12, 16).toString("latin1") !== "VP8 " || copy.readUIntBE(23, 3) !== 0x9d012a) {
		throw new Error("not a simple lossy WebP");
	}
	copy.writeUInt16LE(width & 0x3fff, 26);
	copy.writeUInt16LE(height & 0x3fff, 28);
	return copy;
}

/** A JPEG with a COM segment holding `text`, right after SOI. */
function jpegWithComment(jpeg: Buffer, text: string): Buffer {
	const payload = Buffer.from(text, "latin1");
	const header = Buffer.from([0xff, 0xfe, 0, 0]);
	header.writeUInt16BE(payload.length + 2, 2);
	return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

async function zipOf(entries: Record<string, string>): Promise<Buffer> {
	const zip = new yazl.ZipFile();
	for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name, { compress: false });
	zip.end();
	const parts: Buffer[] = [];
	for await (const part of zip.outputStream) parts.push(part as Buffer);
	return Buffer.concat(parts);
}

const SCRIPT_PAGE = "<html><body><script>fetch('/api/v1/auth/me').then(r=>r.text()).then(alert)</script></body></html>";
/** An SVG with a script; `title` tells copies apart (rejected files are recorded by their SHA-256). */
const svg = (title: string) => `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><title>${title}</title><script>alert(document.domain)</script>
<rect width="400" height="300" fill="#e4572e"/></svg>`;
const ERROR_PAGE = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n";
const PDF = [
	"%PDF-1.4",
	"1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj",
	"trailer << /Root 1 0 R >>",
	"%%EOF",
].join("\n");

const XMP = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">The &lt;b&gt;old&lt;/b&gt; harbour at dusk</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Shot from the pier; see https://example.org/harbour.html</rdf:li></rdf:Alt></dc:description>
<xmp:CreatorTool>Adobe Photoshop 25.0 (Windows)</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;

function head(status: string, headers: Record<string, string | number>): string {
	const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
	return `HTTP/1.1 ${status}\r\n${[...lines, "Connection: close"].join("\r\n")}\r\n\r\n`;
}

/** A whole response in one write, then the end of the connection; `length` is what Content-Length claims. */
function reply(socket: net.Socket, type: string, body: Buffer, length = body.length, status = "200 OK"): void {
	socket.end(Buffer.concat([Buffer.from(head(status, { "Content-Type": type, "Content-Length": length })), body]));
}

/** Writes, then waits while the socket's buffer is full; false once the peer has gone. */
async function send(socket: net.Socket, chunk: Buffer | string): Promise<boolean> {
	if (socket.destroyed) return false;
	if (socket.write(chunk)) return true;
	await new Promise<void>((resolve) => {
		const done = () => {
			socket.off("drain", done);
			socket.off("close", done);
			resolve();
		};
		socket.on("drain", done);
		socket.on("close", done);
	});
	return !socket.destroyed;
}

async function sendRepeated(socket: net.Socket, body: RepeatedBody): Promise<void> {
	if (!(await send(socket, body.head))) return;
	for (let n = 0; n < body.repeats; n++) if (!(await send(socket, body.unit))) return;
	if (await send(socket, body.tail)) socket.end();
}

export async function startHostileWeb(options: HostileWebOptions = {}): Promise<HostileWeb> {
	const dripIntervalMs = options.dripIntervalMs ?? 200;
	const oversizeBytes = options.oversizeBytes ?? 64 * MiB;
	const [gzip, deflate, br, rawGzip] = await Promise.all([
		gzipBomb(options.encodedBombBytes ?? 8 * GiB),
		deflateBomb(options.encodedBombBytes ?? 8 * GiB),
		brotliBomb(options.encodedBombBytes ?? 8 * GiB),
		gzipBomb(options.rawBombBytes ?? 3 * GiB),
	]);
	const [deflateSample, brSample] = await Promise.all([deflateBomb(64 * MiB), brotliBomb(64 * MiB)]);
	const whole = (body: RepeatedBody) => Buffer.concat([body.head, ...Array<Buffer>(body.repeats).fill(body.unit), body.tail]);
	const bombs = {
		gzip: { compressed: bodyLength(gzip), inflated: options.encodedBombBytes ?? 8 * GiB, sample: gzip.unit },
		deflate: { compressed: bodyLength(deflate), inflated: options.encodedBombBytes ?? 8 * GiB, sample: whole(deflateSample) },
		br: { compressed: bodyLength(br), inflated: options.encodedBombBytes ?? 8 * GiB, sample: whole(brSample) },
		rawGzip: { compressed: bodyLength(rawGzip), inflated: options.rawBombBytes ?? 3 * GiB, sample: rawGzip.unit },
	};

	const jpeg = await drawing(1).jpeg({ quality: 85 }).toBuffer();
	const png = await drawing(2).png().toBuffer();
	const gif = await drawing(3).gif().toBuffer();
	const smallWebp = await drawing(4, 64, 48).webp({ quality: 80 }).toBuffer();
	const smallJpeg = await drawing(5, 64, 48).jpeg().toBuffer();
	const smallGif = await drawing(6, 64, 48).gif().toBuffer();
	const files: Record<string, { type: string; body: Buffer }> = {
		"/pixels/png-50000.png": { type: "image/png", body: pngClaiming(50_000, 50_000) },
		"/pixels/png-100000.png": { type: "image/png", body: pngClaiming(100_000, 100_000) },
		"/pixels/jpeg-50000.jpg": { type: "image/jpeg", body: jpegClaiming(smallJpeg, 50_000, 50_000) },
		"/pixels/gif-65535.gif": { type: "image/gif", body: gifClaiming(smallGif, 65_535, 65_535) },
		"/pixels/webp-16383.webp": { type: "image/webp", body: webpClaiming(smallWebp, 16_383, 16_383) },
		"/truncated/jpeg.jpg": { type: "image/jpeg", body: jpeg.subarray(0, Math.floor(jpeg.length * 0.6)) },
		"/truncated/png.png": { type: "image/png", body: png.subarray(0, Math.floor(png.length * 0.6)) },
		"/polyglot/jpeg-zip.jpg": { type: "image/jpeg", body: Buffer.concat([jpeg, await zipOf({ "payload.html": SCRIPT_PAGE })]) },
		"/polyglot/gifar.gif": {
			type: "image/gif",
			body: Buffer.concat([
				gif,
				await zipOf({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\nMain-Class: Payload\r\n", "Payload.class": "\xca\xfe\xba\xbe" }),
			]),
		},
		"/polyglot/jpeg-html-comment.jpg": { type: "image/jpeg", body: jpegWithComment(jpeg, SCRIPT_PAGE) },
		"/polyglot/pdf-in-jpeg.jpg": { type: "image/jpeg", body: jpegWithComment(jpeg, PDF) },
		"/polyglot/html-gif-magic.gif": { type: "image/gif", body: Buffer.from(`GIF89a${SCRIPT_PAGE}`) },
		"/disguised/svg-as-jpeg.jpg": { type: "image/jpeg", body: Buffer.from(svg("as jpeg")) },
		"/disguised/svg.svg": { type: "image/svg+xml", body: Buffer.from(svg("as svg")) },
		"/disguised/html-as-png.png": { type: "image/png", body: Buffer.from(ERROR_PAGE) },
	};
	const controls = new Map<string, Promise<Buffer>>();
	const control = (path: string) => {
		let bytes = controls.get(path);
		if (!bytes) {
			let picture = drawing(seedOf(path));
			if (path.startsWith("/ok/metadata-")) {
				picture = picture
					.withExif({ IFD0: { Make: "Canon", Model: "Canon EOS R6", Copyright: "(c) A. Photographer" } })
					.withXmp(XMP)
					.withIccProfile("p3");
			}
			bytes = path.endsWith(".png") ? picture.png().toBuffer() : picture.jpeg({ quality: 85 }).toBuffer();
			controls.set(path, bytes);
		}
		return bytes;
	};

	const timers = new Set<NodeJS.Timeout>();
	/** Writes `bytes` one at a time, every dripIntervalMs, until they run out or the peer leaves. */
	const drip = (socket: net.Socket, bytes: Buffer) => {
		let next = 0;
		const timer = setInterval(() => {
			if (socket.destroyed || next >= bytes.length) {
				clearInterval(timer);
				timers.delete(timer);
				return;
			}
			socket.write(bytes.subarray(next, next + 1));
			next += 1;
		}, dripIntervalMs);
		timers.add(timer);
	};
	const redirect = (socket: net.Socket, location: string) => {
		socket.end(head("302 Found", { Location: location, "Content-Length": 0 }));
	};
	/** `oversizeBytes` of JPEG-headed filler. */
	const oversize = (): RepeatedBody => ({
		head: jpeg.subarray(0, 2),
		unit: Buffer.alloc(MiB, 0x5a),
		repeats: Math.ceil((oversizeBytes - 2) / MiB),
		tail: Buffer.alloc(0),
	});

	const routes: Record<string, Handler> = {
		"/bomb/gzip.jpg": (socket) => encodedBomb(socket, "gzip", gzip),
		"/bomb/deflate.jpg": (socket) => encodedBomb(socket, "deflate", deflate),
		"/bomb/br.jpg": (socket) => encodedBomb(socket, "br", br),
		"/bomb/raw-gzip.jpg": async (socket) => {
			await send(socket, head("200 OK", { "Content-Type": "image/jpeg", "Content-Length": bodyLength(rawGzip) }));
			await sendRepeated(socket, rawGzip);
		},
		"/drip/headers.jpg": (socket) => {
			socket.write("HTTP/1.1 200 OK\r\n");
			drip(socket, Buffer.from(`X-Drip: ${"d".repeat(100_000)}\r\nContent-Type: image/jpeg\r\n\r\n`));
		},
		"/drip/body.jpg": (socket) => {
			socket.write(head("200 OK", { "Content-Type": "image/jpeg", "Content-Length": jpeg.length }));
			drip(socket, jpeg);
		},
		"/redirect/loop/a": (socket) => redirect(socket, "/redirect/loop/b"),
		"/redirect/loop/b": (socket) => redirect(socket, "/redirect/loop/a"),
		"/headers/one-megabyte.jpg": (socket) => {
			socket.write(`HTTP/1.1 200 OK\r\nX-Padding: ${"a".repeat(MiB)}\r\n`);
			socket.end(
				Buffer.concat([Buffer.from(`Content-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nConnection: close\r\n\r\n`), jpeg]),
			);
		},
		"/headers/thousands.jpg": (socket) => {
			const many = Array.from({ length: 10_000 }, (_, n) => `X-Header-${n}: ${n}\r\n`).join("");
			socket.write(`HTTP/1.1 200 OK\r\n${many}`);
			socket.end(
				Buffer.concat([Buffer.from(`Content-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nConnection: close\r\n\r\n`), jpeg]),
			);
		},
		"/length/claims-less.jpg": (socket) => {
			reply(socket, "image/jpeg", jpeg, 100);
		},
		"/length/claims-more.jpg": (socket) => {
			reply(socket, "image/jpeg", jpeg, jpeg.length * 2);
		},
		"/too-large/declared.jpg": async (socket) => {
			const body = oversize();
			await send(socket, head("200 OK", { "Content-Type": "image/jpeg", "Content-Length": bodyLength(body) }));
			await sendRepeated(socket, body);
		},
		"/too-large/streamed.jpg": async (socket) => {
			// no Content-Length, no chunking: the body is whatever comes until the connection closes
			await send(socket, `HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n`);
			await sendRepeated(socket, oversize());
		},
	};
	async function encodedBomb(socket: net.Socket, encoding: string, body: RepeatedBody) {
		const headers = { "Content-Type": "image/jpeg", "Content-Encoding": encoding, "Content-Length": bodyLength(body) };
		if (await send(socket, head("200 OK", headers))) await sendRepeated(socket, body);
	}

	const route = async (socket: net.Socket, path: string): Promise<void> => {
		const handler = routes[path];
		const file = files[path];
		const chain = /^\/redirect\/chain\/(\d+)$/.exec(path);
		if (handler) await handler(socket, path);
		else if (file) reply(socket, file.type, file.body);
		else if (chain) redirect(socket, `/redirect/chain/${Number(chain[1]) + 1}`);
		else if (/^\/ok\/[\w-]+\.(jpg|png)$/.test(path)) reply(socket, path.endsWith(".png") ? "image/png" : "image/jpeg", await control(path));
		else reply(socket, "text/plain", Buffer.from("not found"), 9, "404 Not Found");
	};

	const served: ServedRequest[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on("error", () => {});
		socket.on("close", () => sockets.delete(socket));
		let received = Buffer.alloc(0);
		const onData = (data: Buffer) => {
			received = Buffer.concat([received, data]);
			const end = received.indexOf("\r\n\r\n");
			if (end < 0) {
				if (received.length > 64 * 1024) socket.destroy();
				return;
			}
			socket.off("data", onData);
			const [, target = "/"] = received.subarray(0, received.indexOf("\r\n")).toString("latin1").split(" ");
			const path = target.split("?")[0];
			served.push({
				path,
				at: Date.now(),
				get bytesWritten() {
					return socket.bytesWritten;
				},
				get closed() {
					return socket.destroyed;
				},
			});
			Promise.resolve(route(socket, path)).catch(() => socket.destroy());
		};
		socket.on("data", onData);
	});
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	const { port } = server.address() as net.AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		requests: (pathPrefix = "") => served.filter((request) => request.path.startsWith(pathPrefix)),
		bombs,
		controlBytes: control,
		stop: async () => {
			for (const timer of timers) clearInterval(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			server.close();
			await once(server, "close");
		},
	};
}
