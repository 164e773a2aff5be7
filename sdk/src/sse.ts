/** One Server-Sent Event as the WHATWG event-stream format defines it. */
export interface ServerSentEvent {
	event: string;
	data: string;
	id: string | null;
}

/**
 * Reads the events of a `text/event-stream` body in order, until the stream ends. Comments and `retry`
 * fields are skipped; an event without `data` is not dispatched, as in browsers.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent, void, undefined> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = "";
	let event = "";
	let data: string[] = [];
	let id: string | null = null;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
			const lines = buffer.split(/\r\n|\r|\n/);
			// the last piece may be a line cut in two by the network; a finished stream has no more to come
			buffer = done ? "" : (lines.pop() ?? "");
			for (const line of lines) {
				if (line === "") {
					if (data.length > 0) yield { event: event || "message", data: data.join("\n"), id };
					event = "";
					data = [];
					continue;
				}
				if (line.startsWith(":")) continue;
				const colon = line.indexOf(":");
				const field = colon === -1 ? line : line.slice(0, colon);
				const text = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
				if (field === "event") event = text;
				else if (field === "data") data.push(text);
				else if (field === "id" && !text.includes("\0")) id = text;
			}
			if (done) return;
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}
