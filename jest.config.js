/** Test layout: one jest project per kind of test (see README "Tests"). */
const transform = { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] };
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: "node",
	transform,
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	setupFiles: ["<rootDir>/test/support/env.ts"],
	...extra,
});

module.exports = {
	projects: [
		project("unit"),
		project("integration", { testTimeout: 30000 }),
		project("api", { testTimeout: 20000 }),
		project("e2e", { testTimeout: 60000 }),
	],
	coverageProvider: "v8",
	collectCoverageFrom: ["lib/**/*.ts", "mixins/**/*.ts", "services/**/*.ts", "moleculer.config.ts"],
	coverageReporters: ["text-summary", "lcov"],
	coverageThreshold: { global: { lines: 80 } },
};
