import { Serializers } from "moleculer";

/** First byte of a framed packet: JSON text never starts with a NUL. */
const FRAME = 0x00;
/** FRAME, then the header's length as a 32-bit big-endian integer. */
const PREFIX_BYTES = 5;

/** Which field of a packet carries a stream chunk: a request's `params`, a response's `data`. */
const BINARY_FIELDS = ["params", "data"] as const;

/**
 * Moleculer's JSON serializer, except for packets that carry bytes (the chunks of a streamed call such as
 * `storage.put`). Plain JSON writes a Buffer as `{"type":"Buffer","data":[255,216,…]}`: about 3.6 characters
 * per byte, built by one node and parsed back into a number array and then a Buffer by the other — for a
 * 1.3 MP JPEG that cost more CPU than validating the image (bench/RESULTS.md, "Pipeline throughput").
 * Such a packet travels as a frame instead: NUL, the header's length (uint32 BE), the packet without its
 * bytes as JSON (naming the field in `$binary`), then the bytes as they are. Every other packet is
 * byte-for-byte what the JSON serializer writes.
 */
export class FramedJsonSerializer extends Serializers.JSON {
	override serialize(obj: Record<string, unknown>): Buffer {
		const field = BINARY_FIELDS.find((name) => Buffer.isBuffer(obj[name]));
		if (!field) return super.serialize(obj);
		const bytes = obj[field] as Buffer;
		const header = Buffer.from(JSON.stringify({ ...obj, [field]: null, $binary: field }));
		const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
		prefix[0] = FRAME;
		prefix.writeUInt32BE(header.length, 1);
		return Buffer.concat([prefix, header, bytes], PREFIX_BYTES + header.length + bytes.length);
	}

	override deserialize(buf: Buffer | string): unknown {
		if (typeof buf === "string" || buf.length === 0 || buf[0] !== FRAME) return super.deserialize(buf);
		const headerEnd = PREFIX_BYTES + buf.readUInt32BE(1);
		const packet = JSON.parse(buf.toString("utf8", PREFIX_BYTES, headerEnd)) as Record<string, unknown>;
		const field = packet.$binary as string;
		delete packet.$binary;
		// a view, not a copy: the transporter hands every message over in a Buffer of its own
		packet[field] = buf.subarray(headerEnd);
		return packet;
	}
}
