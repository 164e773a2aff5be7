/** Left-aligned columns separated by two spaces, header first; a trailing newline ends the table. */
export function formatTable(headers: string[], rows: string[][]): string {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
	const line = (cells: string[]) =>
		headers
			.map((_, column) => (cells[column] ?? "").padEnd(widths[column]))
			.join("  ")
			.trimEnd();
	return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}
