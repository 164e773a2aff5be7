import type { ApiClient, TokenProvider } from "../api/client";
import { ApiError } from "../api/errors";
import type { SessionTokens } from "../api/types";

/** Refresh this long before the access token expires, so a request never leaves with one about to lapse. */
export const REFRESH_MARGIN_MS = 30_000;

type Listener = (signedIn: boolean) => void;

/** Whether the gateway said there is a refresh cookie (its readable `pixcrawler_session` companion). */
export function hasSessionHint(cookies: string = document.cookie): boolean {
	return cookies.split(";").some((pair) => pair.trim().startsWith("pixcrawler_session=1"));
}

/**
 * The browser's session: the access token lives in this object's memory only (never in storage), the
 * refresh token in the httpOnly `pixcrawler_refresh` cookie that scripts cannot read. Refreshes happen
 * on a timer before expiry, before a request when the token is about to lapse, and once after a 401;
 * concurrent callers share one refresh, because each refresh token works once.
 */
export class AuthSession implements TokenProvider {
	private token: string | null = null;
	private expiresAt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private pending: Promise<boolean> | null = null;
	private readonly listeners = new Set<Listener>();

	constructor(
		private readonly api: ApiClient,
		private readonly now: () => number = Date.now,
		private readonly sessionHint: () => boolean = hasSessionHint,
	) {}

	get signedIn(): boolean {
		return this.token !== null;
	}

	onChange(listener: Listener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async login(email: string, password: string): Promise<void> {
		this.accept(await this.api.auth.login(email, password));
	}

	/**
	 * Restores a session from the refresh cookie (a reload, a new tab); false when there is none. Without
	 * the hint cookie there is nothing to restore, and no refresh is sent only to be refused.
	 */
	restore(): Promise<boolean> {
		return this.sessionHint() ? this.refresh() : Promise.resolve(false);
	}

	async accessToken(): Promise<string | null> {
		if (this.token && this.now() >= this.expiresAt - REFRESH_MARGIN_MS) await this.refresh();
		return this.token;
	}

	renew(): Promise<boolean> {
		return this.token ? this.refresh() : Promise.resolve(false);
	}

	/** One refresh at a time; a refused refresh ends the session. */
	refresh(): Promise<boolean> {
		if (!this.pending) {
			this.pending = this.api.auth
				.refresh()
				.then((tokens) => {
					this.accept(tokens);
					return true;
				})
				.catch((error: unknown) => {
					// a server or network failure keeps the session: the next request tries again
					if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 422)) this.clear();
					else if (!(error instanceof ApiError)) this.clear();
					return false;
				})
				.finally(() => {
					this.pending = null;
				});
		}
		return this.pending;
	}

	async logout(): Promise<void> {
		try {
			await this.api.auth.logout();
		} finally {
			this.clear();
		}
	}

	/** Forgets the session without telling the server (it already refused it). */
	clear() {
		const was = this.token !== null;
		this.token = null;
		this.expiresAt = 0;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (was) for (const listener of this.listeners) listener(false);
	}

	private accept(tokens: SessionTokens) {
		const was = this.token !== null;
		this.token = tokens.accessToken;
		this.expiresAt = this.now() + tokens.expiresIn * 1000;
		if (this.timer) clearTimeout(this.timer);
		const delay = Math.max(1000, tokens.expiresIn * 1000 - REFRESH_MARGIN_MS);
		this.timer = setTimeout(() => void this.refresh(), delay);
		if (!was) for (const listener of this.listeners) listener(true);
	}
}
