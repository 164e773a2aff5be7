import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

jest.setTimeout(60000);

const ROOT = path.resolve(__dirname, "..", "..");

describe("the SDK's generated OpenAPI types (sdk/src/openapi.ts)", () => {
	it("are what the live OpenAPI document gives today (run `npm run sdk:types` after changing a route or schema)", async () => {
		// the generator runs as CI and developers run it: in its own Node process (openapi-typescript loads ES modules jest cannot)
		const run = promisify(execFile)(process.execPath, ["--import", "tsx", path.join("scripts", "sdk-openapi-types.ts"), "--check"], {
			cwd: ROOT,
		});
		await expect(run).resolves.toMatchObject({ stdout: "sdk/src/openapi.ts is up to date\n" });
	});
});
