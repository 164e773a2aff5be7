import { randomBytes } from "node:crypto";
import { Serializers } from "moleculer";
import { FramedJsonSerializer } from "../../../lib/serializer";

describe("the framed JSON serializer", () => {
	const framed = new FramedJsonSerializer();
	const json = new Serializers.JSON();

	it("writes every packet without bytes exactly as the JSON serializer does (the wire stays compatible)", () => {
		const packets = [
			{ ver: "5", sender: "n1", id: "r1", action: "dataset.addImage", params: { sha256: "ab", width: 3 }, meta: { user: { id: "u" } } },
			{ ver: "5", sender: "n1", id: "r1", success: true, data: null, meta: {} },
			{ ver: "5", sender: "n1", id: "r1", seq: 3, stream: false, params: null },
		];
		for (const packet of packets) {
			const bytes = framed.serialize(packet);
			expect(bytes.equals(json.serialize(packet))).toBe(true);
			expect(framed.deserialize(bytes)).toEqual(packet);
		}
	});

	it("carries a stream chunk's bytes as they are, in a request's params and a response's data", () => {
		const chunk = randomBytes(256 * 1024);
		const request = { ver: "5", sender: "n1", id: "r1", seq: 1, stream: true, params: chunk, meta: {} };
		const wire = framed.serialize(request);
		// a frame, not a number array: the chunk plus a small header
		expect(wire[0]).toBe(0);
		expect(wire.length).toBeLessThan(chunk.length + 200);
		const back = framed.deserialize(wire) as typeof request;
		expect(Buffer.isBuffer(back.params)).toBe(true);
		expect(back.params.equals(chunk)).toBe(true);
		expect({ ...back, params: null }).toEqual({ ...request, params: null });

		const response = { ver: "5", sender: "n2", id: "r2", seq: 2, stream: true, success: true, data: chunk.subarray(0, 10) };
		const answered = framed.deserialize(framed.serialize(response)) as typeof response;
		expect(answered.data.equals(chunk.subarray(0, 10))).toBe(true);
		expect(answered.seq).toBe(2);
	});

	it("round-trips an empty chunk", () => {
		const back = framed.deserialize(framed.serialize({ id: "r", params: Buffer.alloc(0) })) as { params: Buffer };
		expect(Buffer.isBuffer(back.params) && back.params.length === 0).toBe(true);
	});
});
