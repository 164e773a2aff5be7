import { type FormEvent, useState } from "react";
import { Link, useSearch } from "wouter";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { Field } from "../../components/Field";
import { PageHeader } from "../../components/PageHeader";
import { Notice } from "../../components/States";

/** What a refused sign-in means for the user (the API gives the same 401 for unknown emails and wrong passwords). */
export function loginFailure(error: unknown): string {
	if (isApiError(error)) {
		if (error.status === 401) return "The email or the password is wrong.";
		if (error.status === 403) return "This account is deactivated.";
		if (error.status === 429)
			return `Too many attempts. Try again${error.retryAfter ? ` in ${Math.ceil(error.retryAfter / 60)} min` : " later"}.`;
	}
	return errorMessage(error);
}

export function LoginPage() {
	const { login } = useAuth();
	const search = useSearch();
	const [email, setEmail] = useState("");
	const [password, setPassword] = useState("");
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>(null);
	const fields = isApiError(error) ? fieldErrorMap(error.fields) : {};
	const expired = new URLSearchParams(search).has("next");

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setError(null);
		try {
			// the shell redirects once the session is there (web/src/app/App.tsx)
			await login(email, password);
		} catch (caught) {
			setError(caught);
			setBusy(false);
		}
	}

	return (
		<section className="auth-page card">
			<PageHeader title="Sign in" />
			{expired && !error && <Notice kind="info">Sign in to continue.</Notice>}
			{error !== null && Object.keys(fields).length === 0 && <Notice kind="error">{loginFailure(error)}</Notice>}
			<form onSubmit={submit} noValidate>
				<Field id="login-email" label="Email" error={fields.email}>
					{(control) => (
						<input
							{...control}
							type="email"
							autoComplete="username"
							required
							value={email}
							onChange={(event) => setEmail(event.target.value)}
						/>
					)}
				</Field>
				<Field id="login-password" label="Password" error={fields.password}>
					{(control) => (
						<input
							{...control}
							type="password"
							autoComplete="current-password"
							required
							value={password}
							onChange={(event) => setPassword(event.target.value)}
						/>
					)}
				</Field>
				<div className="form-actions">
					<button type="submit" className="button button-primary" disabled={busy}>
						{busy ? "Signing in…" : "Sign in"}
					</button>
				</div>
			</form>
			<p className="muted small auth-alt">
				No account yet? <Link href="/signup">Sign up</Link>
			</p>
		</section>
	);
}
