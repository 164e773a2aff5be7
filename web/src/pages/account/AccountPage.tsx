import { type FormEvent, useEffect, useState } from "react";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import type { Account } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { Field } from "../../components/Field";
import { formatBytes, formatDate, formatNumber } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { Loading, Notice } from "../../components/States";
import { TokensSection } from "./TokensSection";

/** "3 of 50", "3 (no limit)", "—" when the service counting it did not answer. */
export function usageText(used: number | null, limit: number | null, format: (value: number) => string = formatNumber): string {
	if (used === null) return "—";
	return limit === null ? `${format(used)} (no limit)` : `${format(used)} of ${format(limit)}`;
}

function Usage({ account }: { account: Account }) {
	const { limits, usage } = account;
	return (
		<dl className="stats">
			<div>
				<dt>Datasets</dt>
				<dd>{usageText(usage.datasets, limits.datasets)}</dd>
			</div>
			<div>
				<dt>Storage</dt>
				<dd>{usageText(usage.storageBytes, limits.storageBytes, formatBytes)}</dd>
			</div>
			<div>
				<dt>Images today</dt>
				<dd>{usageText(usage.imagesPerDay, limits.imagesPerDay)}</dd>
			</div>
			<div>
				<dt>Builds running</dt>
				<dd>{usageText(usage.concurrentJobs, limits.concurrentJobs)}</dd>
			</div>
		</dl>
	);
}

function Profile({ account }: { account: Account }) {
	const { api, reloadAccount } = useAuth();
	const [name, setName] = useState(account.name);
	const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
	const [fieldError, setFieldError] = useState<string | undefined>();
	const [busy, setBusy] = useState(false);
	useEffect(() => setName(account.name), [account.name]);

	async function save(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setMessage(null);
		setFieldError(undefined);
		try {
			await api.auth.updateMe({ name: name.trim() });
			await reloadAccount();
			setMessage({ kind: "success", text: "Saved." });
		} catch (error) {
			if (isApiError(error) && error.status === 422) setFieldError(fieldErrorMap(error.fields).name ?? errorMessage(error));
			else setMessage({ kind: "error", text: errorMessage(error) });
		} finally {
			setBusy(false);
		}
	}

	return (
		<section className="card" aria-labelledby="profile-title">
			<h2 id="profile-title">Profile</h2>
			<p>
				{account.email} · {account.role === "superuser" ? "superuser" : "user"} · member since {formatDate(account.createdAt)}
			</p>
			<Usage account={account} />
			{message && <Notice kind={message.kind}>{message.text}</Notice>}
			<form onSubmit={save} noValidate className="form-narrow auth-alt">
				<Field id="profile-name" label="Name" error={fieldError}>
					{(control) => (
						<input {...control} type="text" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />
					)}
				</Field>
				<button type="submit" className="button" disabled={busy || name.trim() === account.name}>
					Save name
				</button>
			</form>
		</section>
	);
}

export function AccountPage() {
	const { account } = useAuth();
	return (
		<section>
			<PageHeader title="Account" />
			{account ? <Profile account={account} /> : <Loading />}
			<TokensSection />
		</section>
	);
}
