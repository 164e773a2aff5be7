/** Test layout: one jest project per kind of test (see README "Tests"). */
const transform = {
	"^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
	// The OpenAPI validator ships ES modules only; jest on Node 20 needs them compiled to CommonJS.
	"^.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
};
// Packages that ship ES modules only: the OpenAPI validator, and file-type (image sniffing) with its dependencies.
// Node 20.19+ require()s them in the compiled output, but jest's module loader does not, so they are compiled here.
const ESM_ONLY_PACKAGES = [
	"@seriousme/openapi-schema-validator",
	"file-type",
	"strtok3",
	"token-types",
	"uint8array-extras",
	"@tokenizer/inflate",
	"@borewit/text-codec",
];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: "node",
	transform,
	transformIgnorePatterns: [`/node_modules/(?!(?:${ESM_ONLY_PACKAGES.join("|")})/)`],
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	setupFiles: ["<rootDir>/test/support/env.ts"],
	...extra,
});
// The SDK (sdk/) is its own package: its tests live beside it.
const sdkProject = () => project("sdk", { testMatch: ["<rootDir>/sdk/test/**/*.test.ts"] });

module.exports = {
	projects: [project("unit"), project("integration"), project("api"), project("e2e"), project("security"), sdkProject()],
	// Integration, API and e2e tests start brokers and servers; each test file sets a longer limit where it needs one.
	testTimeout: 30000,
	// Most suites wait on brokers, sockets and child processes rather than the CPU: two workers overlap
	// that waiting on the 2-core CI machines (one worker would run every suite in band).
	maxWorkers: 2,
	coverageProvider: "v8",
	collectCoverageFrom: ["lib/**/*.ts", "mixins/**/*.ts", "services/**/*.ts", "bin/**/*.ts", "moleculer.config.ts"],
	coverageReporters: ["text-summary", "lcov"],
	coverageThreshold: { global: { lines: 80 } },
};
