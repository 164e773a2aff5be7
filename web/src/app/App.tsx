import { useEffect, useRef, useState } from "react";
import { Link, Redirect, Route, Switch, useLocation, useSearch } from "wouter";
import { useAuth } from "../auth/AuthContext";
import { NavigatedContext, PageHeader } from "../components/PageHeader";
import { Loading } from "../components/States";
import { type AppRoute, navEntries, routes } from "./routes";

/** Where to go after signing in: the page the user was sent away from, if it is one of ours. */
export function safeNext(search: string): string {
	const next = new URLSearchParams(search).get("next");
	return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/api/") ? next : "/datasets";
}

function Guarded({ route }: { route: AppRoute }) {
	const { status } = useAuth();
	const [location] = useLocation();
	const search = useSearch();
	if (status === "restoring") return <Loading label="Restoring your session…" />;
	if (route.access === "signedIn" && status === "signedOut") {
		const next = `${location}${search ? `?${search}` : ""}`;
		return <Redirect to={`/login?next=${encodeURIComponent(next)}`} replace />;
	}
	if (route.access === "signedOut" && status === "signedIn") return <Redirect to={safeNext(search)} replace />;
	const Page = route.component;
	return <Page />;
}

function Header() {
	const { status, account, logout } = useAuth();
	const [location, navigate] = useLocation();
	return (
		<header className="app-header">
			<div className="app-header-inner">
				<Link href={status === "signedIn" ? "/datasets" : "/login"} className="brand">
					<img src="/favicon.svg" alt="" />
					PixCrawler
				</Link>
				{status === "signedIn" && (
					<nav className="main-nav" aria-label="Main">
						<ul>
							{navEntries.map((entry) => {
								const current = location === entry.prefix || location.startsWith(`${entry.prefix}/`);
								return (
									<li key={entry.href}>
										<Link href={entry.href} aria-current={current ? "page" : undefined}>
											{entry.label}
										</Link>
									</li>
								);
							})}
						</ul>
					</nav>
				)}
				<div className="header-account">
					{status === "signedIn" && account && (
						<>
							<span className="muted small">{account.name || account.email}</span>
							<button
								type="button"
								className="button"
								onClick={async () => {
									await logout();
									navigate("/login");
								}}
							>
								Sign out
							</button>
						</>
					)}
					{status === "signedOut" && (
						<span className="row">
							<Link href="/login">Sign in</Link>
							<Link href="/signup">Sign up</Link>
						</span>
					)}
				</div>
			</div>
		</header>
	);
}

function NotFoundPage() {
	const { status } = useAuth();
	const [location] = useLocation();
	// a deep link while signed out: sign in first, then see whether the page exists
	if (status === "restoring") return <Loading label="Restoring your session…" />;
	if (status === "signedOut") return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
	return (
		<section>
			<PageHeader title="Page not found" />
			<p>There is no page at this address.</p>
			<Link href="/datasets">Go to your datasets</Link>
		</section>
	);
}

/** The shell: skip link, header navigation, the routed page in <main>. */
export function App() {
	// headings take focus on pages reached by navigation, not on the first page (the skip link comes first there)
	const [location] = useLocation();
	const first = useRef(location);
	const [navigated, setNavigated] = useState(false);
	useEffect(() => {
		if (location !== first.current) setNavigated(true);
	}, [location]);
	return (
		<NavigatedContext.Provider value={navigated}>
			<a className="skip-link" href="#main">
				Skip to content
			</a>
			<Header />
			<main id="main" className="app-main" tabIndex={-1}>
				<Switch>
					<Route path="/">
						<Redirect to="/datasets" replace />
					</Route>
					{routes.map((route) => (
						<Route key={route.path} path={route.path}>
							<Guarded route={route} />
						</Route>
					))}
					<Route>
						<NotFoundPage />
					</Route>
				</Switch>
			</main>
			<footer className="app-footer">
				<a href="/docs">API documentation</a>
			</footer>
		</NavigatedContext.Provider>
	);
}
