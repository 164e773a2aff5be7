import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiClient } from "../api/client";
import type { Account, RegisterRequest } from "../api/types";
import { AuthSession } from "./session";

export type AuthStatus = "restoring" | "signedOut" | "signedIn";

export interface AuthContextValue {
	status: AuthStatus;
	/** The signed-in account (`GET /auth/me`), null otherwise. */
	account: Account | null;
	/** The API client, authenticated while signed in. */
	api: ApiClient;
	login(email: string, password: string): Promise<void>;
	/** Creates the account, then signs in with it. */
	register(request: RegisterRequest): Promise<void>;
	logout(): Promise<void>;
	/** Reads the account again (after a change of name, limits, usage). */
	reloadAccount(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Provides the session; `api` is for tests (a client whose fetch is a stand-in). */
export function AuthProvider({ children, api: given }: { children: ReactNode; api?: ApiClient }) {
	const [{ api, session }] = useState(() => {
		const client = given ?? new ApiClient();
		const authSession = new AuthSession(client);
		client.setTokens(authSession);
		return { api: client, session: authSession };
	});
	const [status, setStatus] = useState<AuthStatus>("restoring");
	const [account, setAccount] = useState<Account | null>(null);

	const loadAccount = useCallback(async () => {
		setAccount(await api.auth.me());
		setStatus("signedIn");
	}, [api]);

	useEffect(() => {
		let active = true;
		const stop = session.onChange((signedIn) => {
			if (!signedIn && active) {
				setAccount(null);
				setStatus("signedOut");
			}
		});
		session
			.restore()
			.then(async (restored) => {
				if (!active) return;
				if (restored) await loadAccount();
				else setStatus("signedOut");
			})
			.catch(() => {
				if (active) setStatus("signedOut");
			});
		return () => {
			active = false;
			stop();
			session.clear();
		};
	}, [session, loadAccount]);

	const value = useMemo<AuthContextValue>(
		() => ({
			status,
			account,
			api,
			async login(email, password) {
				await session.login(email, password);
				await loadAccount();
			},
			async register(request) {
				await api.auth.register(request);
				await session.login(request.email, request.password);
				await loadAccount();
			},
			async logout() {
				await session.logout().catch(() => undefined);
				setAccount(null);
				setStatus("signedOut");
			},
			reloadAccount: loadAccount,
		}),
		[status, account, api, session, loadAccount],
	);
	return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
	const value = useContext(AuthContext);
	if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
	return value;
}

/** The API client of the current session. */
export function useApi(): ApiClient {
	return useAuth().api;
}
