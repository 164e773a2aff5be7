import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** What `pixcrawler login` remembers. */
export interface Credentials {
	token: string;
	baseUrl: string;
	/** Who the token belonged to when it was saved, for `logout` and humans reading the file. */
	email?: string;
	savedAt?: string;
}

type Env = Record<string, string | undefined>;

/** `${XDG_CONFIG_HOME:-~/.config}/pixcrawler/credentials.json`. */
export function credentialsPath(env: Env): string {
	const configHome = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".config");
	return join(configHome, "pixcrawler", "credentials.json");
}

/** The saved credentials, or null when there are none (or the file is unreadable JSON). */
export async function readCredentials(env: Env): Promise<Credentials | null> {
	let text: string;
	try {
		text = await readFile(credentialsPath(env), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw error;
	}
	try {
		const parsed = JSON.parse(text) as Partial<Credentials>;
		return typeof parsed.token === "string" && parsed.token ? { baseUrl: "", ...parsed, token: parsed.token } : null;
	} catch {
		return null;
	}
}

/**
 * Writes the file readable by its owner only: the secret goes into a 0600 temporary file that is
 * renamed over the old one, so no other user can read it even for a moment.
 */
export async function saveCredentials(env: Env, credentials: Credentials): Promise<string> {
	const path = credentialsPath(env);
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
	try {
		await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
		await chmod(temporary, 0o600);
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
	return path;
}

/** Removes the file; answers whether there was one. */
export async function removeCredentials(env: Env): Promise<boolean> {
	const path = credentialsPath(env);
	try {
		await rm(path);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
		throw error;
	}
}
