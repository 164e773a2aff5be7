import fs from "node:fs";
import path from "node:path";

/** Service files next to the running code (compiled .js, or .ts when run from source). */
export function serviceFiles(servicesDir: string, selected: string[]): string[] {
	const extension = path.extname(__filename);
	const available = fs
		.readdirSync(servicesDir)
		.filter((file) => file.endsWith(`.service${extension}`))
		.map((file) => ({ name: file.slice(0, -`.service${extension}`.length), file: path.join(servicesDir, file) }));
	if (selected.length === 0) return available.map((service) => service.file);
	const unknown = selected.filter((name) => !available.some((service) => service.name === name));
	if (unknown.length > 0) {
		throw new Error(`SERVICES: unknown service(s) ${unknown.join(", ")}; available: ${available.map((s) => s.name).join(", ")}`);
	}
	return available.filter((service) => selected.includes(service.name)).map((service) => service.file);
}
