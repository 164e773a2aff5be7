import { Algorithm, hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id recommendation (m=19 MiB, t=2, p=1); hashes below it are upgraded on login. */
export const PASSWORD_HASH_PARAMETERS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, { algorithm: Algorithm.Argon2id, ...PASSWORD_HASH_PARAMETERS });
}

/** True when the hash is not argon2id or uses weaker parameters than today's. */
export function needsRehash(passwordHash: string): boolean {
	const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
	if (!match) return true;
	const [memoryCost, timeCost, parallelism] = match.slice(1).map(Number);
	return (
		memoryCost < PASSWORD_HASH_PARAMETERS.memoryCost ||
		timeCost < PASSWORD_HASH_PARAMETERS.timeCost ||
		parallelism < PASSWORD_HASH_PARAMETERS.parallelism
	);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		// a malformed stored hash never matches
		return false;
	}
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, so "no such user" and "wrong password" cannot be
 * told apart by timing.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword("dummy-password-for-constant-time-checks");
	await verifyPassword(await dummyHash, password);
	return false;
}

/** Problems with a new password, as field messages (empty when it is acceptable). */
export function passwordProblems(password: string, email: string): string[] {
	const problems: string[] = [];
	if (password.length < 10) problems.push("Use at least 10 characters");
	if (password.length > 128) problems.push("Use at most 128 characters");
	if (password.trim().toLowerCase() === email.trim().toLowerCase()) problems.push("The password cannot be the email address");
	return problems;
}
