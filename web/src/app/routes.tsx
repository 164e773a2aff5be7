import type { ComponentType } from "react";
import { AccountPage } from "../pages/account/AccountPage";
import { LoginPage } from "../pages/auth/LoginPage";
import { SignupPage } from "../pages/auth/SignupPage";
import { DatasetBuildPage } from "../pages/datasets/DatasetBuildPage";
import { DatasetEditPage, DatasetNewPage } from "../pages/datasets/DatasetFormPage";
import { DatasetsPage } from "../pages/datasets/DatasetsPage";
import { ExportsPage } from "../pages/exports/ExportsPage";
import { GalleryPage } from "../pages/gallery/GalleryPage";
import { ProjectsPage } from "../pages/projects/ProjectsPage";

/**
 * Every page of the dashboard. `access`: "signedIn" pages redirect to /login when signed out,
 * "signedOut" pages (sign-in, sign-up) to /datasets when signed in. Order matters: the first
 * matching path wins, so `/datasets/new` comes before `/datasets/:id`.
 */
export interface AppRoute {
	path: string;
	component: ComponentType;
	access: "signedIn" | "signedOut" | "any";
}

export const routes: AppRoute[] = [
	{ path: "/login", component: LoginPage, access: "signedOut" },
	{ path: "/signup", component: SignupPage, access: "signedOut" },
	{ path: "/datasets", component: DatasetsPage, access: "signedIn" },
	{ path: "/datasets/new", component: DatasetNewPage, access: "signedIn" },
	{ path: "/datasets/:id/edit", component: DatasetEditPage, access: "signedIn" },
	{ path: "/datasets/:id/gallery", component: GalleryPage, access: "signedIn" },
	{ path: "/datasets/:id/exports", component: ExportsPage, access: "signedIn" },
	{ path: "/datasets/:id", component: DatasetBuildPage, access: "signedIn" },
	{ path: "/projects", component: ProjectsPage, access: "signedIn" },
	{ path: "/account", component: AccountPage, access: "signedIn" },
];

/** The header's navigation when signed in; `prefix` marks the entry current for every path under it. */
export interface NavEntry {
	href: string;
	label: string;
	prefix: string;
}

export const navEntries: NavEntry[] = [
	{ href: "/datasets", label: "Datasets", prefix: "/datasets" },
	{ href: "/projects", label: "Projects", prefix: "/projects" },
	{ href: "/account", label: "Account", prefix: "/account" },
];

/** The tabs of one dataset's pages (web/src/pages/datasets/DatasetTabs.tsx). */
export interface DatasetTab {
	label: string;
	href: (datasetId: string) => string;
}

export const datasetTabs: DatasetTab[] = [
	{ label: "Build", href: (id) => `/datasets/${encodeURIComponent(id)}` },
	{ label: "Definition", href: (id) => `/datasets/${encodeURIComponent(id)}/edit` },
	{ label: "Gallery", href: (id) => `/datasets/${encodeURIComponent(id)}/gallery` },
	{ label: "Exports", href: (id) => `/datasets/${encodeURIComponent(id)}/exports` },
];
