import yauzl from "yauzl";

/** Every file of a zip held in memory, by its path in the archive (tests only: reads it whole). */
export async function unzip(archive: Buffer): Promise<Map<string, Buffer>> {
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
		yauzl.fromBuffer(archive, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
	);
	const files = new Map<string, Buffer>();
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
					files.set(entry.fileName, Buffer.concat(chunks));
					zip.readEntry();
				});
			});
		});
		zip.readEntry();
	});
	return files;
}
