import { type FormEvent, useState } from "react";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import { type CreatedApiToken, SCOPE_DESCRIPTIONS, SCOPES, type Scope } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { Field } from "../../components/Field";
import { formatDate } from "../../components/format";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading, Notice } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";

const PAGE_SIZE = 20;

/** The token request of the form: a name, the scopes ticked (in the API's order) and an optional lifetime. */
export function tokenRequest(form: { name: string; scopes: Scope[]; expiresInDays: string }) {
	const days = form.expiresInDays.trim();
	return {
		name: form.name.trim(),
		scopes: SCOPES.filter((scope) => form.scopes.includes(scope)),
		...(days ? { expiresInDays: Number(days) } : {}),
	};
}

/**
 * A token just created: shown this once (the API keeps only its hash), with a copy button, until the
 * user says they have stored it. Nothing else on the page ever holds it.
 */
function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
	return (
		<div className="notice notice-success" role="status" aria-labelledby="new-token-title">
			<p className="state-title" id="new-token-title">
				Token “{token.name}” created
			</p>
			<p>Copy it now: it is shown only this once and cannot be read again.</p>
			<code className="secret" data-testid="new-token">
				{token.token}
			</code>
			<div className="form-actions">
				<CopyButton text={token.token} label="Copy token" />
				<button type="button" className="button" onClick={onDone}>
					I have stored it
				</button>
			</div>
		</div>
	);
}

export function TokensSection() {
	const api = useApi();
	const [page, setPage] = useState(1);
	const [reloadKey, setReloadKey] = useState(0);
	const tokens = useResource((signal) => api.tokensApi.list({ page, pageSize: PAGE_SIZE }, signal), [api, page, reloadKey]);
	const [form, setForm] = useState<{ name: string; scopes: Scope[]; expiresInDays: string }>({
		name: "",
		scopes: ["datasets:read"],
		expiresInDays: "",
	});
	const [fields, setFields] = useState<Record<string, string>>({});
	const [failure, setFailure] = useState<string | null>(null);
	const [created, setCreated] = useState<CreatedApiToken | null>(null);
	const [busy, setBusy] = useState(false);

	async function create(event: FormEvent) {
		event.preventDefault();
		setFields({});
		setFailure(null);
		setCreated(null);
		if (form.scopes.length === 0) {
			setFields({ scopes: "Choose at least one scope." });
			return;
		}
		setBusy(true);
		try {
			setCreated(await api.tokensApi.create(tokenRequest(form)));
			setForm({ name: "", scopes: ["datasets:read"], expiresInDays: "" });
			setReloadKey((key) => key + 1);
		} catch (error) {
			if (isApiError(error) && error.status === 422 && error.fields.length > 0) {
				const map = fieldErrorMap(error.fields);
				// `scopes[2]` and the like belong to the scopes group
				for (const key of Object.keys(map)) if (key.startsWith("scopes[")) map.scopes = map.scopes ? `${map.scopes} ${map[key]}` : map[key];
				setFields(map);
			} else setFailure(errorMessage(error));
		} finally {
			setBusy(false);
		}
	}

	async function revoke(id: string) {
		setFailure(null);
		try {
			await api.tokensApi.revoke(id);
			setReloadKey((key) => key + 1);
		} catch (error) {
			setFailure(errorMessage(error));
		}
	}

	return (
		<section className="card" aria-labelledby="tokens-title">
			<h2 id="tokens-title">API tokens</h2>
			<p className="muted">Tokens let scripts and the SDK use the API with only the scopes you give them.</p>
			{created && <NewToken token={created} onDone={() => setCreated(null)} />}
			{failure && <Notice kind="error">{failure}</Notice>}
			<form onSubmit={create} noValidate className="form-narrow" aria-labelledby="new-token-form-title">
				<h3 id="new-token-form-title">Create a token</h3>
				<Field id="token-name" label="Name" hint="What it is for, e.g. “training laptop”." error={fields.name}>
					{(control) => (
						<input
							{...control}
							type="text"
							maxLength={100}
							value={form.name}
							onChange={(event) => setForm({ ...form, name: event.target.value })}
						/>
					)}
				</Field>
				<fieldset aria-describedby={fields.scopes ? "token-scopes-error" : undefined}>
					<legend>Scopes</legend>
					{SCOPES.map((scope) => (
						<div className="checks" key={scope}>
							<label>
								<input
									type="checkbox"
									checked={form.scopes.includes(scope)}
									onChange={(event) =>
										setForm({
											...form,
											scopes: event.target.checked ? [...form.scopes, scope] : form.scopes.filter((one) => one !== scope),
										})
									}
								/>
								<code>{scope}</code>
								<span className="muted small">{SCOPE_DESCRIPTIONS[scope]}</span>
							</label>
						</div>
					))}
					{fields.scopes && (
						<p className="field-error" id="token-scopes-error">
							{fields.scopes}
						</p>
					)}
				</fieldset>
				<Field id="token-expiry" label="Expires after (days)" hint="1–3650; empty: never." error={fields.expiresInDays}>
					{(control) => (
						<input
							{...control}
							type="number"
							inputMode="numeric"
							min={1}
							max={3650}
							value={form.expiresInDays}
							onChange={(event) => setForm({ ...form, expiresInDays: event.target.value })}
						/>
					)}
				</Field>
				<div className="form-actions">
					<button type="submit" className="button button-primary" disabled={busy}>
						{busy ? "Creating…" : "Create token"}
					</button>
				</div>
			</form>

			<h3>Your tokens</h3>
			{tokens.state === "error" && <ErrorState error={tokens.error} onRetry={tokens.reload} title="The tokens could not be loaded" />}
			{tokens.state === "loading" && !tokens.data && <Loading label="Loading tokens…" />}
			{tokens.data && tokens.data.items.length === 0 && <EmptyState title="No API tokens yet" />}
			{tokens.data && tokens.data.items.length > 0 && (
				<>
					<div className="table-wrap">
						<table>
							<caption className="visually-hidden">API tokens</caption>
							<thead>
								<tr>
									<th scope="col">Name</th>
									<th scope="col">Token</th>
									<th scope="col">Scopes</th>
									<th scope="col">Expires</th>
									<th scope="col">Last used</th>
									<th scope="col">
										<span className="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								{tokens.data.items.map((token) => (
									<tr key={token.id}>
										<th scope="row">{token.name}</th>
										<td className="mono">{token.prefix}…</td>
										<td>{token.scopes.join(", ")}</td>
										<td>{token.expiresAt ? formatDate(token.expiresAt) : "Never"}</td>
										<td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : "Never"}</td>
										<td>
											{token.revokedAt ? (
												<StatusBadge status="cancelled" label="revoked" />
											) : (
												<ConfirmButton
													question={`Revoke “${token.name}”?`}
													confirmLabel="Revoke"
													label={`Revoke ${token.name}`}
													onConfirm={() => revoke(token.id)}
												>
													Revoke
												</ConfirmButton>
											)}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager page={page} pageSize={PAGE_SIZE} total={tokens.data.total} onPage={setPage} label="Token pages" />
				</>
			)}
		</section>
	);
}
