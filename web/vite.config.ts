import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The dashboard: built into dist/web, which the gateway serves at `/` (services/api/dashboard.ts).
 * JSX goes through esbuild's automatic runtime; no React plugin is needed for a production build.
 */
const webRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
	root: webRoot,
	publicDir: "public",
	esbuild: { jsx: "automatic" },
	build: {
		outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
		emptyOutDir: true,
		// hashed file names under /assets/: the gateway serves them with a year-long cache
		assetsDir: "assets",
		sourcemap: false,
		target: "es2022",
	},
	// `vite --config web/vite.config.ts` during development: the API runs on the gateway (npm run dev)
	server: {
		proxy: { "/api": "http://127.0.0.1:3000" },
	},
	test: {
		root: webRoot,
		environment: "jsdom",
		include: ["src/**/*.test.tsx", "src/**/*.test.ts"],
		setupFiles: ["src/test/setup.ts"],
		restoreMocks: true,
	},
});
