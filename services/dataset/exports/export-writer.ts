import type { Readable } from "node:stream";
import { datasetCard } from "./dataset-card";
import {
	type ExportContext,
	type ExportFormat,
	type ExportImage,
	jsonLines,
	layoutOf,
	manifestRow,
	type PlacedImage,
	placeImages,
	type TextFile,
} from "./formats";
import { assignSplits, type SplitRatios } from "./splits";
import { ZipArchive } from "./zip-archive";

export interface ExportRequest {
	format: ExportFormat;
	split: SplitRatios | null;
	licences: string[] | null;
}

export interface ExportIo {
	/** The image's bytes, or null when the file is gone (deleted since the export was asked for). */
	openImage(image: ExportImage): Promise<Readable | null>;
	/** Stores the archive stream; resolves with what was stored. */
	store(archive: Readable): Promise<{ bytes: number; sha256: string }>;
	/** Called every few images; a rejection stops the export (e.g. the export was deleted). */
	progress(done: number, total: number): Promise<void>;
}

export interface ExportOutcome {
	bytes: number;
	sha256: string;
	imageCount: number;
	skipped: number;
}

const PROGRESS_EVERY = 100;

/**
 * Writes one export archive: the images in the format's layout, its label files, `manifest.jsonl` and
 * the `README.md` card. Images are streamed one at a time into a zip that streams into storage.
 */
export async function writeExport(
	images: ExportImage[],
	request: ExportRequest,
	context: ExportContext,
	io: ExportIo,
): Promise<ExportOutcome> {
	const placed = placeImages(assignSplits(images, request.split), request.format, context.labels);
	const archive = new ZipArchive(context.exportedAt);
	const stored = io.store(archive.output);
	// a failed store ends the archive at once, so the loop below stops instead of waiting on a dead stream
	stored.catch((error: Error) => archive.abort(error));

	const written: PlacedImage[] = [];
	try {
		for (const [index, image] of placed.entries()) {
			if (index % PROGRESS_EVERY === 0) await io.progress(index, placed.length);
			const body = await io.openImage(image);
			if (!body) continue;
			await archive.addStream(image.file, body, image.bytes ?? undefined);
			written.push(image);
		}
		await io.progress(placed.length, placed.length);
		for (const file of textFiles(written, request, context)) archive.addText(file.path, file.content);
		archive.finish();
	} catch (error) {
		archive.abort(error as Error);
		await stored.catch(() => undefined);
		throw error;
	}
	const result = await stored;
	return { ...result, imageCount: written.length, skipped: placed.length - written.length };
}

/** The label files, manifest and card, in the order they are written after the images. */
export function textFiles(images: PlacedImage[], request: ExportRequest, context: ExportContext): TextFile[] {
	const labelFiles = layoutOf(request.format).labelFiles(images, context);
	const manifest = { path: "manifest.jsonl", content: jsonLines(images.map(manifestRow)) };
	// per-image label files (txt) are too many to list; the manifest covers their images
	const listed = [...labelFiles.filter((file) => !file.path.startsWith("labels/")), manifest];
	const card = datasetCard({
		context,
		format: request.format,
		split: request.split,
		licenceFilter: request.licences,
		images,
		files: listed,
	});
	return [...labelFiles, manifest, { path: "README.md", content: card }];
}
