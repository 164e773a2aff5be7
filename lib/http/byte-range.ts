/** One inclusive byte range of a representation, as RFC 9110 §14 defines it. */
export interface ByteRange {
	start: number;
	end: number;
}

/**
 * The single byte range a `Range` header asks of a representation of `size` bytes: null when the header is
 * absent, malformed or asks for several ranges (the whole representation is then sent, which RFC 9110
 * allows), "unsatisfiable" when no asked byte exists (416).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === "" && match[2] === "")) return null;
	if (match[1] === "") {
		// suffix range: the last N bytes
		const length = Number(match[2]);
		if (length === 0 || size === 0) return "unsatisfiable";
		return { start: Math.max(0, size - length), end: size - 1 };
	}
	const start = Number(match[1]);
	const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (match[2] !== "" && Number(match[2]) < start) return null;
	if (start >= size) return "unsatisfiable";
	return { start, end };
}

/**
 * Whether a range request may be honoured under `If-Range`: only when the validator names the current
 * representation (a strong ETag comparison; dates are not used for our archives).
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string): boolean {
	return ifRange === undefined || ifRange.trim() === etag;
}
