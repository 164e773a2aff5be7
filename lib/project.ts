import fs from "node:fs";
import path from "node:path";

/** The project root, whether running from source or from dist/. */
function findRoot(start: string): string {
	let dir = start;
	while (!fs.existsSync(path.join(dir, "package.json"))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`package.json not found above ${start}`);
		dir = parent;
	}
	return dir;
}

export const projectRoot = findRoot(__dirname);
export const projectVersion: string = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).version;
