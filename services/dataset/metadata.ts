/** What a dataset holds, summarised from its image records (pure: records in, summary out). */
export interface ImageFacts {
	label: string;
	status: string;
	source: string;
	license?: string | null;
	bytes?: number;
	width?: number;
	height?: number;
	reason?: string | null;
}

function bump(counts: Record<string, number>, key: string) {
	counts[key] = (counts[key] ?? 0) + 1;
}

export function summarize(images: ImageFacts[], labels: string[]) {
	const perLabel = Object.fromEntries(labels.map((label) => [label, 0])) as Record<string, number>;
	const perStatus: Record<string, number> = { valid: 0, duplicate: 0, rejected: 0 };
	const perSource: Record<string, number> = {};
	const perLicense: Record<string, number> = {};
	const rejectionReasons: Record<string, number> = {};
	let bytes = 0;
	const width = { min: Number.POSITIVE_INFINITY, max: 0 };
	const height = { min: Number.POSITIVE_INFINITY, max: 0 };
	for (const image of images) {
		bump(perStatus, image.status);
		if (image.status === "rejected") {
			bump(rejectionReasons, image.reason ?? "unspecified");
			continue;
		}
		if (image.status === "valid") {
			bump(perLabel, image.label);
			bump(perSource, image.source);
			bump(perLicense, image.license ?? "unknown");
		}
		bytes += image.bytes ?? 0;
		if (image.width !== undefined) {
			width.min = Math.min(width.min, image.width);
			width.max = Math.max(width.max, image.width);
		}
		if (image.height !== undefined) {
			height.min = Math.min(height.min, image.height);
			height.max = Math.max(height.max, image.height);
		}
	}
	const range = (r: { min: number; max: number }) => (Number.isFinite(r.min) ? r : null);
	return {
		images: images.length,
		perLabel,
		perStatus,
		perSource,
		perLicense,
		duplicates: perStatus.duplicate ?? 0,
		rejectionReasons,
		bytes,
		width: range(width),
		height: range(height),
	};
}
