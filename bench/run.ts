import * as dedupIndex from "./dedup-index.bench";
import * as exportMemory from "./export-memory.bench";
import * as gateway from "./gateway.bench";
import * as pipeline from "./pipeline.bench";
import { writeSection } from "./results";
import * as soak from "./soak.bench";

/** `npm run bench [-- --quick] [names…]`: runs the benchmarks, prints each table and writes bench/RESULTS.md. */
const BENCHMARKS = [exportMemory, dedupIndex, pipeline, soak, gateway];

async function main() {
	const args = process.argv.slice(2);
	const quick = args.includes("--quick");
	const wanted = args.filter((arg) => !arg.startsWith("--"));
	for (const bench of BENCHMARKS.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
		const markdown = await bench.run({ quick });
		console.log(`${markdown}\n`);
		// a quick run only checks that the harness works; it never overwrites measured numbers
		if (!quick) writeSection(bench.name, markdown);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
