import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { projectRoot } from "../../../lib/project";

interface Instruction {
	keyword: string;
	args: string;
	line: number;
}

/** Dockerfile instructions: continuations joined, comments and blank lines dropped (as BuildKit reads them). */
function parseDockerfile(text: string): Instruction[] {
	const instructions: Instruction[] = [];
	let pending = "";
	let startLine = 0;
	text.split("\n").forEach((line, index) => {
		const trimmed = line.trim();
		if (trimmed === "" || trimmed.startsWith("#")) return;
		if (pending === "") startLine = index + 1;
		if (trimmed.endsWith("\\")) {
			pending += `${trimmed.slice(0, -1).trim()} `;
			return;
		}
		const [, keyword, args] = /^(\S+)\s*([\s\S]*)$/.exec(pending + trimmed) as RegExpExecArray;
		instructions.push({ keyword: keyword.toUpperCase(), args: args.trim(), line: startLine });
		pending = "";
	});
	return instructions;
}

interface Stage {
	image: string;
	name?: string;
	instructions: Instruction[];
}

/** Build stages, each FROM with its ARG defaults (declared before the first FROM) substituted. */
function stagesOf(instructions: Instruction[]): Stage[] {
	const globalArgs: Record<string, string> = {};
	const stages: Stage[] = [];
	for (const instruction of instructions) {
		if (instruction.keyword === "FROM") {
			const [reference, , name] = instruction.args.replace(/^--platform=\S+\s+/, "").split(/\s+/);
			const image = reference.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, arg: string) => globalArgs[arg] ?? "");
			stages.push({ image, name, instructions: [] });
		} else if (stages.length === 0 && instruction.keyword === "ARG") {
			const [arg, value = ""] = instruction.args.split("=");
			globalArgs[arg] = value;
		} else {
			stages.at(-1)?.instructions.push(instruction);
		}
	}
	return stages;
}

/** `["node", "-e", "…"]`: the exec form, which runs without a shell. */
function execForm(args: string): string[] {
	expect(args.startsWith("[")).toBe(true);
	return JSON.parse(args);
}

/** `KEY=value KEY2=value2` of ENV (or the old `KEY value` form). */
function envOf(args: string): Record<string, string> {
	if (!args.includes("=")) {
		const [key, ...value] = args.split(/\s+/);
		return { [key]: value.join(" ") };
	}
	return Object.fromEntries(
		[...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map(([, key, value]) => [key, value.replace(/^"|"$/g, "")]),
	);
}

/** .dockerignore patterns as the builder applies them: relative to the context, `**` across folders, `!` re-including. */
function ignoredBy(patterns: string[]) {
	const matchers = patterns.map((line) => {
		const negated = line.startsWith("!");
		const source = line
			.replace(/^!/, "")
			.replace(/^\/+/, "")
			.split("/")
			.map((part) =>
				part === "**"
					? "(?:.+)?"
					: part
							.replace(/[.+^$()|[\]{}]/g, "\\$&")
							.replace(/\*/g, "[^/]*")
							.replace(/\?/g, "[^/]"),
			)
			.join("/")
			.replace(/\(\?:\.\+\)\?\//g, "(?:.+/)?");
		return { matcher: new RegExp(`^${source}$`), negated };
	});
	// a path is left out when the last pattern matching it, or a folder it is in, is not a `!` exception
	return (file: string) => {
		const parts = file.split("/");
		let excluded = false;
		for (const { matcher, negated } of matchers) {
			if (parts.some((_part, index) => matcher.test(parts.slice(0, index + 1).join("/")))) excluded = !negated;
		}
		return excluded;
	};
}

const instructions = parseDockerfile(fs.readFileSync(path.join(projectRoot, "Dockerfile"), "utf8"));
const stages = stagesOf(instructions);
const runtime = stages.at(-1) as Stage;
const build = stages.find((stage) => stage.name === "build") as Stage;
const dockerignore = fs
	.readFileSync(path.join(projectRoot, ".dockerignore"), "utf8")
	.split("\n")
	.map((line) => line.trim())
	.filter((line) => line !== "" && !line.startsWith("#"));

function only(stage: Stage, keyword: string): Instruction {
	const found = stage.instructions.filter((instruction) => instruction.keyword === keyword);
	expect(found).toHaveLength(1);
	return found[0];
}

function runs(stage: Stage): string[] {
	return stage.instructions.filter((instruction) => instruction.keyword === "RUN").map((instruction) => instruction.args);
}

/** Runs the HEALTHCHECK's `node -e` script with a stand-in fetch: the exit code and the URL it probed. */
function runHealthcheck(
	script: string,
	env: Record<string, string>,
	answer: { status: number } | Error = { status: 200 },
): Promise<{ code: number; url?: string }> {
	return new Promise((resolve) => {
		let exited = false;
		let url: string | undefined;
		const sandbox = {
			process: {
				env,
				exit(code: number) {
					if (exited) return;
					exited = true;
					resolve({ code, url });
				},
			},
			AbortSignal,
			fetch(target: string) {
				// process.exit ends the real script; here nothing after it may count
				if (exited) return new Promise(() => {});
				url = target;
				return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ ok: answer.status < 300, status: answer.status });
			},
		};
		vm.runInNewContext(script, sandbox);
	});
}

describe("Dockerfile", () => {
	it("builds in one stage and runs in another, both on a pinned Node 22 (12 or later) bookworm-slim image", () => {
		expect(stages.length).toBeGreaterThanOrEqual(2);
		expect(build).toBeDefined();
		for (const stage of stages) {
			const version = /^node:22\.(\d+)\.\d+-bookworm-slim$/.exec(stage.image);
			expect(`${stage.name}: ${stage.image}`).toMatch(/: node:22\.\d+\.\d+-bookworm-slim$/);
			// the compiled CommonJS require()s ES-module-only packages (file-type): Node 22.12 does that by default
			expect(Number(version?.[1])).toBeGreaterThanOrEqual(12);
		}
	});

	it("compiles with npm run build everything tsconfig.build.json includes, and runs the dist/bin/pixcrawler.js it produces", () => {
		const buildRuns = runs(build);
		expect(buildRuns.some((run) => /\bnpm ci\b/.test(run))).toBe(true);
		expect(buildRuns).toContain("npm run build");
		const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8"));
		// the services compile with tsc; the dashboard (web/, which reuses sdk/src) is bundled by vite into dist/web
		expect(packageJson.scripts.build).toBe("tsc -p tsconfig.build.json && vite build --config web/vite.config.ts");

		// the build stage copies every source tsconfig.build.json compiles
		const buildConfig = JSON.parse(fs.readFileSync(path.join(projectRoot, "tsconfig.build.json"), "utf8"));
		const baseConfig = JSON.parse(fs.readFileSync(path.join(projectRoot, buildConfig.extends), "utf8"));
		const copied = build.instructions
			.filter((instruction) => instruction.keyword === "COPY" && !instruction.args.startsWith("--from"))
			.flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
		expect(copied).toEqual(
			expect.arrayContaining([...buildConfig.include, "tsconfig.json", "tsconfig.build.json", "package-lock.json", "web", "sdk/src"]),
		);

		// rootDir "." and outDir "dist": bin/pixcrawler.ts compiles to dist/bin/pixcrawler.js
		const { outDir, rootDir } = { ...baseConfig.compilerOptions, ...buildConfig.compilerOptions };
		expect(buildConfig.include).toContain("bin");
		const entry = path.join(outDir, path.relative(rootDir, "bin/pixcrawler.ts")).replace(/\.ts$/, ".js");
		expect(entry).toBe("dist/bin/pixcrawler.js");
		expect(execForm(only(runtime, "CMD").args)).toEqual(["node", entry]);
		expect(packageJson.scripts["start:prod"]).toBe(`node ${entry}`);
		expect(
			runtime.instructions.some(
				(instruction) => instruction.keyword === "COPY" && /^--from=build \/app\/dist \.\/dist$/.test(instruction.args),
			),
		).toBe(true);
	});

	it("installs only production dependencies in the runtime image, none of which needs its install script", () => {
		const installs = runs(runtime).filter((run) => /\bnpm (ci|install|i)\b/.test(run));
		expect(installs).toHaveLength(1);
		expect(installs[0]).toMatch(/\bnpm ci --omit=dev --ignore-scripts\b/);

		// --ignore-scripts skips these; a new production dependency with an install script must be looked at
		// (sharp and @node-rs/argon2 have none: their binaries come from platform optionalDependencies)
		const harmless = ["node_modules/@scarf/scarf", "node_modules/core-js", "node_modules/es5-ext"];
		const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, "package-lock.json"), "utf8"));
		const withScripts = Object.entries(lock.packages as Record<string, { dev?: boolean; hasInstallScript?: boolean }>)
			.filter(([, entry]) => entry.hasInstallScript && !entry.dev)
			.map(([name]) => name);
		expect(withScripts.filter((name) => !harmless.includes(name))).toEqual([]);
		expect(withScripts).not.toContain("node_modules/sharp");
	});

	it("runs as the unprivileged node user and writes only to the /data volume", () => {
		const keywords = runtime.instructions.map((instruction) => instruction.keyword);
		const user = only(runtime, "USER").args;
		expect(["node", "1000", "1000:1000", "node:node"]).toContain(user);
		expect(keywords.indexOf("USER")).toBeLessThan(keywords.indexOf("CMD"));
		// nothing after USER may switch back to root
		expect(runtime.instructions.filter((instruction) => instruction.keyword === "USER")).toHaveLength(1);
		expect(only(runtime, "WORKDIR").args).toBe("/app");

		const env = Object.assign(
			{},
			...runtime.instructions.filter((instruction) => instruction.keyword === "ENV").map((instruction) => envOf(instruction.args)),
		);
		expect(env).toMatchObject({ NODE_ENV: "production", PIXCRAWLER_ENV: "production", PIXCRAWLER_DATA_DIR: "/data" });
		const volume = only(runtime, "VOLUME").args;
		expect(volume.startsWith("[") ? execForm(volume) : volume.split(/\s+/)).toEqual(["/data"]);
		// the volume starts out owned by the service user (Docker copies the image's /data into it)
		expect(runs(runtime).some((run) => /chown node:node \/data\b/.test(run))).toBe(true);
	});

	it("exposes the gateway port, stops with SIGTERM and checks health with node (the slim image has no curl)", () => {
		expect(only(runtime, "EXPOSE").args).toBe("3000");
		expect(only(runtime, "STOPSIGNAL").args).toBe("SIGTERM");
		const healthcheck = only(runtime, "HEALTHCHECK").args;
		const [options, command] = healthcheck.split(/\s+CMD\s+/);
		expect(options).toMatch(/--interval=\d+s/);
		expect(options).toMatch(/--timeout=\d+s/);
		const [program, flag, script] = execForm(command);
		expect([program, flag]).toEqual(["node", "-e"]);
		expect(typeof script).toBe("string");
	});

	it("checks the gateway where it runs, the node probe port elsewhere, and passes nodes that have neither", async () => {
		const [, , script] = execForm(only(runtime, "HEALTHCHECK").args.split(/\s+CMD\s+/)[1]);
		// every service in one process (SERVICES empty), or a gateway container
		expect(await runHealthcheck(script, {})).toEqual({ code: 0, url: "http://127.0.0.1:3000/health" });
		expect(await runHealthcheck(script, { SERVICES: "auth, api", GATEWAY_PORT: "8080" })).toEqual({
			code: 0,
			url: "http://127.0.0.1:8080/health",
		});
		expect(await runHealthcheck(script, { SERVICES: "api" }, { status: 503 })).toMatchObject({ code: 1 });
		expect(await runHealthcheck(script, { SERVICES: "api" }, new TypeError("fetch failed"))).toMatchObject({ code: 1 });
		// a node without the gateway: its own probe port when it opens one
		expect(
			await runHealthcheck(script, { SERVICES: "crawl-worker", PIXCRAWLER_PROBE_PORT: "9101", PIXCRAWLER_METRICS_PORT: "9100" }),
		).toEqual({
			code: 0,
			url: "http://127.0.0.1:9101/health",
		});
		expect(
			await runHealthcheck(script, { SERVICES: "crawl-worker", PIXCRAWLER_PROBE_PORT: "9101" }, new TypeError("fetch failed")),
		).toMatchObject({
			code: 1,
		});
		// …and otherwise the running process is all there is to check
		expect(await runHealthcheck(script, { SERVICES: "crawl-worker" })).toEqual({ code: 0, url: undefined });
		expect(await runHealthcheck(script, { SERVICES: "auth,dataset", PIXCRAWLER_PROBE_PORT: "0", PIXCRAWLER_METRICS_PORT: "9100" })).toEqual(
			{
				code: 0,
				url: undefined,
			},
		);
	});

	it("fetches nothing remote and bakes no secret into the image", () => {
		for (const instruction of instructions) {
			expect(`${instruction.line}: ${instruction.keyword} ${instruction.args}`).not.toMatch(/^\d+: ADD .*\bhttps?:\/\//);
			if (instruction.keyword === "ENV" || instruction.keyword === "ARG") {
				const names = instruction.keyword === "ENV" ? Object.keys(envOf(instruction.args)) : [instruction.args.split("=")[0]];
				for (const name of names) expect(name).not.toMatch(/SECRET|PASSWORD|TOKEN|KEY|MONGO_URI|REDIS_URL|TRANSPORTER/);
			}
		}
		expect(instructions.some((instruction) => instruction.keyword === "ADD")).toBe(false);
	});
});

describe(".dockerignore", () => {
	const ignored = ignoredBy(dockerignore);

	it("keeps dependencies, build output, local data, git history and .env files out of the build context", () => {
		for (const file of [
			"node_modules/sharp/package.json",
			"sdk/node_modules/x/index.js",
			"dist/bin/pixcrawler.js",
			"data/db/users.db",
			"coverage/lcov.info",
			"tmp/scratch",
			".git/HEAD",
			".env",
			".env.production",
			"deploy/compose/.env",
			"test/unit/deploy/docker.test.ts",
		]) {
			expect(`${file}: ${ignored(file)}`).toBe(`${file}: true`);
		}
	});

	it("keeps everything the Dockerfile copies from the context", () => {
		const sources = instructions
			.filter((instruction) => instruction.keyword === "COPY" && !instruction.args.startsWith("--from"))
			.flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
		expect(sources.length).toBeGreaterThan(0);
		for (const source of sources) {
			expect(`${source}: ${ignored(source)}`).toBe(`${source}: false`);
			expect(fs.existsSync(path.join(projectRoot, source))).toBe(true);
		}
		expect(ignored("services/crawl/downloader.ts")).toBe(false);
	});
});
