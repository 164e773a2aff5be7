import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { ErrorSummary, Field } from "../../components/Field";
import { PageHeader } from "../../components/PageHeader";
import { Notice } from "../../components/States";

const LABELS: Record<string, string> = { name: "Name", email: "Email", password: "Password" };

/** Checks made before asking the API (which checks them again): the same rules as docs/api.md. */
export function signupProblems(form: { name: string; email: string; password: string }): Record<string, string> {
	const problems: Record<string, string> = {};
	if (form.name.trim() === "") problems.name = "Enter your name.";
	if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) problems.email = "Enter an email address such as ada@example.com.";
	if (form.password.length < 10) problems.password = "Use at least 10 characters.";
	else if (form.password.length > 128) problems.password = "Use at most 128 characters.";
	else if (form.password.toLowerCase() === form.email.trim().toLowerCase()) problems.password = "The password cannot be your email.";
	return problems;
}

export function SignupPage() {
	const { register } = useAuth();
	const [form, setForm] = useState({ name: "", email: "", password: "" });
	const [busy, setBusy] = useState(false);
	const [problems, setProblems] = useState<Record<string, string>>({});
	const [error, setError] = useState<unknown>(null);

	async function submit(event: FormEvent) {
		event.preventDefault();
		const found = signupProblems(form);
		setProblems(found);
		setError(null);
		if (Object.keys(found).length > 0) return;
		setBusy(true);
		try {
			await register({ name: form.name.trim(), email: form.email.trim(), password: form.password });
		} catch (caught) {
			if (isApiError(caught) && caught.status === 422) setProblems(fieldErrorMap(caught.fields));
			else if (isApiError(caught) && caught.status === 409)
				setProblems({ email: "An account with this email exists already. Sign in instead." });
			else setError(caught);
			setBusy(false);
		}
	}

	const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
	return (
		<section className="auth-page card">
			<PageHeader title="Create your account" />
			<ErrorSummary
				items={Object.entries(problems).map(([field, message]) => ({
					fieldId: LABELS[field] ? `signup-${field}` : null,
					label: LABELS[field] ?? field,
					message,
				}))}
			/>
			{error !== null && <Notice kind="error">{errorMessage(error)}</Notice>}
			<form onSubmit={submit} noValidate>
				<Field id="signup-name" label="Name" error={problems.name}>
					{(control) => <input {...control} type="text" autoComplete="name" required value={form.name} onChange={set("name")} />}
				</Field>
				<Field id="signup-email" label="Email" error={problems.email}>
					{(control) => <input {...control} type="email" autoComplete="email" required value={form.email} onChange={set("email")} />}
				</Field>
				<Field id="signup-password" label="Password" hint="10 to 128 characters, not your email." error={problems.password}>
					{(control) => (
						<input {...control} type="password" autoComplete="new-password" required value={form.password} onChange={set("password")} />
					)}
				</Field>
				<div className="form-actions">
					<button type="submit" className="button button-primary" disabled={busy}>
						{busy ? "Creating your account…" : "Sign up"}
					</button>
				</div>
			</form>
			<p className="muted small auth-alt">
				Have an account? <Link href="/login">Sign in</Link>
			</p>
		</section>
	);
}
