/** A Content-Disposition that survives any file name: an ASCII fallback plus the UTF-8 original. */
export function attachment(name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
