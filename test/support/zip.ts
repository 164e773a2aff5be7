import yauzl from "yauzl";

export interface ZipEntry {
	name: string;
	content: Buffer;
	compressionMethod: number;
	modified: Date;
}

/** Every entry of a zip held in memory, in archive order (tests only: reads it whole). */
export async function readZip(archive: Buffer): Promise<ZipEntry[]> {
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
		yauzl.fromBuffer(archive, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
	);
	const entries: ZipEntry[] = [];
	await new Promise<void>((resolve, reject) => {
		zip.on("error", reject);
		zip.on("end", resolve);
		zip.on("entry", (entry: yauzl.Entry) => {
			zip.openReadStream(entry, (error, stream) => {
				if (error) return reject(error);
				const chunks: Buffer[] = [];
				stream.on("data", (chunk: Buffer) => chunks.push(chunk));
				stream.on("error", reject);
				stream.on("end", () => {
					entries.push({
						name: entry.fileName,
						content: Buffer.concat(chunks),
						compressionMethod: entry.compressionMethod,
						modified: entry.getLastModDate(),
					});
					zip.readEntry();
				});
			});
		});
		zip.readEntry();
	});
	return entries;
}

/** Every file of a zip by its path in the archive. */
export async function unzip(archive: Buffer): Promise<Map<string, Buffer>> {
	return new Map((await readZip(archive)).map((entry) => [entry.name, entry.content]));
}
