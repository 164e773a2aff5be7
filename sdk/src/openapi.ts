/**
 * Generated from the PixCrawler OpenAPI document by `npm run sdk:types` (scripts/sdk-openapi-types.ts)
 * with openapi-typescript: do not edit. A route or schema change needs a regeneration;
 * sdk/test/openapi-types.test.ts fails until this file is up to date.
 */

export interface paths {
	"/api/v1/activity": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your activity
		 * @description Every state-changing request (POST, PUT, PATCH, DELETE), refused ones included: who, which action and route, on which resource, when, from which address, with which status and request id. Newest first; never a body, so no password or token. Only your own requests.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["authListActivity"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/activity": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Every user's activity
		 * @description Every state-changing request (POST, PUT, PATCH, DELETE), refused ones included: who, which action and route, on which resource, when, from which address, with which status and request id. Newest first; never a body, so no password or token. Filter by user, action, resource and period.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["authAdminActivity"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/jobs": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Builds of every user
		 * @description Filter by status, owner and dataset; newest first.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["crawlAdminJobs"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/jobs/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Any user's build
		 * @description Any user's build
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["crawlAdminJob"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/storage": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Storage totals
		 * @description Bytes and files across all users, and the users who store the most.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["storageOverview"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/tasks": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Tasks across all builds
		 * @description Filter by status (e.g. dead), type and build.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["crawlAdminTasks"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/tasks/{id}/requeue": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Requeue a failed or dead task
		 * @description Requeue a failed or dead task
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		post: operations["crawlRequeueTask"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/admin/users/{id}/limits": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A user's plan limits and usage
		 * @description The limits that apply to the user (null: no limit), the overrides set for them, the configured defaults, and what the user uses of each.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["authUserLimits"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		/**
		 * Override a user's plan limits
		 * @description A merge patch: a number sets that limit for the user (0 means no limit, except for concurrentJobs, at least 1), null returns it to the configured default, and a limit left out stays as it is. The enforcing services apply a change within 5 seconds.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		patch: operations["authUpdateUserLimits"];
		trace?: never;
	};
	"/api/v1/auth/login": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Sign in
		 * @description Answers an access token and a refresh token. Unknown accounts and wrong passwords get the same 401; repeated failures per account or address get 429. With `X-PixCrawler-Session: cookie` the refresh token is set as the httpOnly `pixcrawler_refresh` cookie instead of answered.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** auth.
		 */
		post: operations["authLogin"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/auth/logout": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Sign out
		 * @description Revokes the refresh token and every token rotated from the same sign-in. Access tokens expire on their own. `refreshToken` is required unless `X-PixCrawler-Session: cookie` sends the `pixcrawler_refresh` cookie, which is then cleared.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** auth.
		 */
		post: operations["authLogout"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/auth/me": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * The signed-in user, with plan limits and usage
		 * @description The account, the plan limits that apply to it (`limits`; null: no limit) and how much of each it uses (`usage`; null when the service counting it did not answer).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `account:read`.
		 */
		get: operations["authMe"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		/**
		 * Change your name
		 * @description Change your name
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		patch: operations["authUpdateMe"];
		trace?: never;
	};
	"/api/v1/auth/password": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Change your password
		 * @description Requires the current password; signs out every session (all refresh tokens are revoked).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 *
		 *     **Rate limit class:** auth.
		 */
		post: operations["authChangePassword"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/auth/refresh": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Exchange a refresh token
		 * @description Answers a new access and refresh token. Each refresh token works once: presenting a used one revokes every token of that sign-in. `refreshToken` is required unless `X-PixCrawler-Session: cookie` sends the `pixcrawler_refresh` cookie, which is then rotated.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** auth.
		 */
		post: operations["authRefresh"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/auth/register": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Create an account
		 * @description Creates a user with the `user` role. The email is lower-cased and must be unused.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** auth.
		 */
		post: operations["authRegister"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your datasets
		 * @description Filter by project, status and name (a part of it); sort by createdAt, updatedAt or name (prefix - for descending).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetListDatasets"];
		put?: never;
		/**
		 * Define a dataset
		 * @description Categories (labels) with keywords or URLs, the sources to search and quality options. The dataset starts as a draft.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		post: operations["datasetCreateDataset"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A dataset
		 * @description A dataset
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetGetDataset"];
		put?: never;
		post?: never;
		/**
		 * Delete a dataset
		 * @description Removes the dataset with its images and files and frees their storage.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		delete: operations["datasetRemoveDataset"];
		options?: never;
		head?: never;
		/**
		 * Change a dataset's definition
		 * @description Any field of the definition; refused with 409 while a build is queued or running.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		patch: operations["datasetUpdateDataset"];
		trace?: never;
	};
	"/api/v1/datasets/{id}/build": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Build a dataset
		 * @description Starts a crawl of the dataset's definition and answers 202 with the job id at once. 409 while a build of the dataset is queued or running; 429 when you already run as many builds as your plan allows (`concurrentJobs`) or your builds stored today's images (`imagesPerDay`).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `crawl:run`.
		 *
		 *     **Rate limit class:** expensive.
		 */
		post: operations["crawlBuild"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}/cancel": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Cancel a dataset's build
		 * @description Cancel a dataset's build
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `crawl:run`.
		 */
		post: operations["crawlCancelDatasetBuild"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}/events": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Follow a dataset's builds (Server-Sent Events)
		 * @description As `GET /jobs/:id/events`, for the dataset's current build (and any build started while the stream is open).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["apiDatasetEvents"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}/exports": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A dataset's exports
		 * @description A dataset's exports
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `exports:read`.
		 */
		get: operations["datasetListExports"];
		put?: never;
		/**
		 * Export a dataset
		 * @description Writes a zip of the dataset's valid images in the chosen format, in the background: the answer (202) carries the export id to poll with `GET /exports/:id`. `split` fractions must add up to 1; the split is stratified per label and the same `seed` gives the same split. `licences` keeps only images under those licences.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `exports:read`.
		 *
		 *     **Rate limit class:** expensive.
		 */
		post: operations["datasetCreateExport"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}/images": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A dataset's images
		 * @description Filter by label, status (valid, duplicate, rejected), source, licence and `duplicateOf` (the near-duplicates of one image). Each image carries a signed download `url`.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetListImages"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/datasets/{id}/images/{imageId}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * An image with its provenance
		 * @description An image with its provenance
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetGetImage"];
		put?: never;
		post?: never;
		/**
		 * Delete an image
		 * @description Removes the record and its file, and updates the dataset's counts.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		delete: operations["datasetRemoveImage"];
		options?: never;
		head?: never;
		/**
		 * Move an image to another label
		 * @description The label must be one of the dataset's categories.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		patch: operations["datasetRelabelImage"];
		trace?: never;
	};
	"/api/v1/datasets/{id}/metadata": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * What a dataset holds
		 * @description Counts per label, status, source and licence; total bytes; width and height ranges; duplicates and rejection reasons; the current job.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetMetadata"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/events": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Follow your notifications (Server-Sent Events)
		 * @description A `notification` event for each new notification (finished builds, exports, disabled webhooks) as it happens. The stream ends after `maxSeconds` (default 3600; EventSource reconnects on its own); nothing is replayed on reconnection: `GET /notifications?unread=true` lists what you missed.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `account:read`.
		 */
		get: operations["apiUserEvents"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/exports/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * An export's status
		 * @description Status (queued, running, ready, failed), progress and, once ready, the archive's size, SHA-256 and a signed download `url` that works without a token until `urlExpiresAt`.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `exports:read`.
		 */
		get: operations["datasetGetExport"];
		put?: never;
		post?: never;
		/**
		 * Delete an export
		 * @description Deletes the archive and frees its storage; an export still being written stops.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		delete: operations["datasetRemoveExport"];
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/exports/{id}/download": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Download an export
		 * @description Streams the zip. Its SHA-256 is in the `ETag` and `Repr-Digest` headers and in `GET /exports/:id`; 409 until the export is ready. An interrupted download resumes with `Range: bytes=<from>-` (206 with `Content-Range`; 416 past the end); send `If-Range` with the ETag to get the whole archive instead should it have changed.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `exports:read`.
		 */
		get: operations["datasetDownloadExport"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/files/{token}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Download a file by its signed link
		 * @description Links come from image and export answers and expire; a tampered or expired link answers 403.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["storageDownload"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/health": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Service health
		 * @description A simple health answer for clients and load balancers.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["apiHealth"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/health/detailed": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Detailed health
		 * @description Every component with its status and latency, and the nodes on the bus.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["apiHealthDetailed"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your builds
		 * @description Your builds
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["crawlListJobs"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A build: status, step, counters and timings
		 * @description A build: status, step, counters and timings
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["crawlGetJob"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}/cancel": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Cancel a build
		 * @description No new work starts; running downloads stop within seconds. 409 when the build has already ended.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `crawl:run`.
		 */
		post: operations["crawlCancelJob"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}/events": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Follow a build (Server-Sent Events)
		 * @description A `snapshot` event with the job's state, then `progress`, `step` and finally `completed` events, each carrying the job; the stream closes after `completed`. Event ids grow per job; a client reconnecting with `Last-Event-ID` gets the current state again.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["apiJobEvents"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}/logs": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * What happened during a build, newest first
		 * @description What happened during a build, newest first
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["crawlJobLogs"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}/retry": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Retry a build's failed tasks
		 * @description Requeues its failed and dead tasks with fresh attempts; a build that had ended runs again to finish them.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `crawl:run`.
		 */
		post: operations["crawlRetryJob"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/jobs/{id}/tasks": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A build's tasks
		 * @description Each with its id, type, status, attempts and last error; filter by type and status.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["crawlListTasks"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/notifications": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your notifications
		 * @description Newest first: finished, failed and cancelled builds, ready and failed exports, and webhooks the platform disabled. `unread=true` lists only those not yet read; filter by `type`. New ones also arrive on `GET /events` as they happen.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `account:read`.
		 */
		get: operations["notifyListNotifications"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/notifications/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		/**
		 * Mark a notification read or unread
		 * @description `read: true` sets `readAt` (kept when it was already read); `read: false` clears it.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `account:read`.
		 */
		patch: operations["notifyMarkNotification"];
		trace?: never;
	};
	"/api/v1/notifications/read-all": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Mark every notification read
		 * @description Mark every notification read
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `account:read`.
		 */
		post: operations["notifyReadAllNotifications"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/openapi.json": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * OpenAPI document
		 * @description The OpenAPI 3.1 description of every route, generated from the live route table.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["apiOpenapi"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/projects": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your projects
		 * @description Your projects
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetListProjects"];
		put?: never;
		/**
		 * Create a project
		 * @description Create a project
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		post: operations["datasetCreateProject"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/projects/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A project
		 * @description A project
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["datasetGetProject"];
		put?: never;
		post?: never;
		/**
		 * Delete a project and its datasets
		 * @description Deletes every dataset of the project with its images and files.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		delete: operations["datasetRemoveProject"];
		options?: never;
		head?: never;
		/**
		 * Rename or describe a project
		 * @description Rename or describe a project
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:write`.
		 */
		patch: operations["datasetUpdateProject"];
		trace?: never;
	};
	"/api/v1/storage/usage": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your storage use
		 * @description Bytes and files you store (images and exports) against your quota (the storageBytes plan limit).
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `datasets:read`.
		 */
		get: operations["storageUsage"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/tokens": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your API tokens
		 * @description Name, prefix, scopes, expiry and last use of each token; never the token itself.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `tokens:manage`.
		 */
		get: operations["authListTokens"];
		put?: never;
		/**
		 * Create an API token
		 * @description Answers the token once, in `token`: store it now, it cannot be shown again. A token used to create another cannot grant scopes it lacks itself.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `tokens:manage`.
		 */
		post: operations["authCreateToken"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/tokens/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		post?: never;
		/**
		 * Revoke an API token
		 * @description The token stops working within seconds.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API token scopes:** `tokens:manage`.
		 */
		delete: operations["authRevokeToken"];
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/users": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Users
		 * @description Every user, newest first; filter by email (part of it), role and active state.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["authListUsers"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/users/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A user
		 * @description A user
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["authGetUser"];
		put?: never;
		post?: never;
		/**
		 * Delete a user
		 * @description Deletes the account with its sessions and API tokens, and everything it kept: projects, datasets with their images, exports and files. A superuser cannot delete themselves.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		delete: operations["authRemoveUser"];
		options?: never;
		head?: never;
		/**
		 * Change a user's role, state or name
		 * @description A superuser cannot demote or deactivate themselves. Deactivating signs the user out everywhere.
		 *
		 *     **Authorization:** Superuser only.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		patch: operations["authUpdateUser"];
		trace?: never;
	};
	"/api/v1/webhooks": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Your webhooks
		 * @description Newest first, never with their secrets. A webhook the platform disabled after repeated failures says when and why.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["notifyListWebhooks"];
		put?: never;
		/**
		 * Register a webhook
		 * @description Events of the listed types are POSTed to `url` as JSON, signed with the webhook's secret (`PixCrawler-Signature`; see the API guide for how to verify it). The answer carries the `secret` this once: store it now. `url`: https (plain http only where private networks are allowed), at most 2048 characters, no credentials, no private, loopback or metadata address; `events`: one or more of `job.completed`, `job.failed`, `job.cancelled`, `export.ready`, `export.failed`. 409 when you already have as many webhooks as allowed.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		post: operations["notifyCreateWebhook"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/webhooks/{id}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		post?: never;
		/**
		 * Delete a webhook
		 * @description Nothing more is sent to it; deliveries still waiting are dropped with their records.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		delete: operations["notifyRemoveWebhook"];
		options?: never;
		head?: never;
		/**
		 * Change a webhook
		 * @description Change its `url`, `events` or `description`, or switch it on and off with `enabled`. Switching on a webhook the platform disabled after repeated failures clears its failure count; its secret stays the same. A new `url` is checked as at registration.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		patch: operations["notifyUpdateWebhook"];
		trace?: never;
	};
	"/api/v1/webhooks/{id}/deliveries": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * A webhook's deliveries
		 * @description Newest first: each event sent (or being sent) with its status, attempts and, per attempt, the receiver's status code, the time it took and the error. Filter by `status`.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 */
		get: operations["notifyListDeliveries"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/api/v1/webhooks/{id}/test": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Send a test event
		 * @description Queues one `webhook.test` event, signed like every delivery, and answers 202 with the delivery: follow it with `GET /webhooks/:id/deliveries`. It is tried once, is sent to a disabled webhook too (to check a fix), and never counts towards disabling.
		 *
		 *     **Authorization:** Requires a signed-in user.
		 *
		 *     **API tokens:** not accepted; use a signed-in session (JWT).
		 *
		 *     **Rate limit class:** expensive.
		 */
		post: operations["notifyTestWebhook"];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/docs": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Swagger UI
		 * @description Swagger UI
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["apiSwaggerUi"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/docs/assets/{file}": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Static files of the API docs
		 * @description Static files of the API docs
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["apiDocsAsset"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/health": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Liveness probe
		 * @description Answers 200 while the process runs; checks no dependencies.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** none.
		 */
		get: operations["apiLive"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/health/ready": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Readiness probe
		 * @description 200 once the routes are published and the transporter, Redis (when configured) and every service's own checks (database, storage) answer; 503 naming what failed.
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** none.
		 */
		get: operations["apiReady"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/metrics": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * Prometheus metrics
		 * @description Prometheus exposition of this node's metrics. Expose it to the scraper only (ingress rules).
		 *
		 *     **Authorization:** Public: no authentication needed.
		 *
		 *     **Rate limit class:** none.
		 */
		get: operations["apiMetrics"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	"/redoc": {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * ReDoc
		 * @description ReDoc
		 *
		 *     **Authorization:** Public: no authentication needed.
		 */
		get: operations["apiRedoc"];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
}
export type webhooks = Record<string, never>;
export interface components {
	schemas: {
		Problem: {
			/** Format: uri */
			type: string;
			title: string;
			status: number;
			detail: string;
			requestId?: string;
			/** @description Seconds to wait before retrying (429) */
			retryAfter?: number;
			/** @description The plan limit that refused the request (403, 429): concurrentJobs, imagesPerDay, datasets, storageBytes or apiRequestsPerMinute */
			limit?: string;
			/** @description The limit's maximum for this user */
			max?: number;
			/** @description How much of it is used */
			used?: number;
			/**
			 * Format: date-time
			 * @description When a rate or daily limit starts afresh
			 */
			resetsAt?: string;
			errors?: {
				field: string;
				message: string;
			}[];
		};
		/** @description An account; never its password hash. */
		User: {
			id: string;
			email: string;
			name: string;
			/** @enum {string} */
			role: "user" | "superuser";
			/** @description A deactivated user cannot sign in */
			active: boolean;
			/** Format: date-time */
			lastLoginAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description What a user may have or do: the configured defaults with a superuser's overrides on top. */
		PlanLimits: {
			/** @description Builds queued or running at once; null: no limit */
			concurrentJobs: number | null;
			/** @description Images the user's builds store per UTC day; null: no limit */
			imagesPerDay: number | null;
			/** @description Datasets; null: no limit */
			datasets: number | null;
			/** @description Bytes stored (images and exports); null: no limit */
			storageBytes: number | null;
			/** @description Requests per minute, per API token; null: no limit */
			apiRequestsPerMinute: number | null;
		};
		/** @description How much of each limit a user uses; null when the service counting it did not answer. Requests per minute show in each API token answer's RateLimit headers. */
		PlanUsage: {
			/** @description Builds queued or running now */
			concurrentJobs: number | null;
			/** @description Images stored today (UTC) */
			imagesPerDay: number | null;
			/**
			 * Format: date-time
			 * @description When today's image count starts again from zero
			 */
			imagesPerDayResetsAt: string;
			/** @description Datasets */
			datasets: number | null;
			/** @description Bytes stored */
			storageBytes: number | null;
		};
		/** @description The signed-in account with its plan limits and usage. */
		Account: {
			id: string;
			email: string;
			name: string;
			/** @enum {string} */
			role: "user" | "superuser";
			/** @description A deactivated user cannot sign in */
			active: boolean;
			/** Format: date-time */
			lastLoginAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
			limits: components["schemas"]["PlanLimits"];
			usage: components["schemas"]["PlanUsage"];
		};
		/** @description One user's plan limits as a superuser manages them. */
		UserLimits: {
			userId: string;
			limits: components["schemas"]["PlanLimits"];
			/** @description The limits a superuser set for this user (0: no limit); the others are the defaults */
			overrides: {
				/** @description Builds queued or running at once */
				concurrentJobs?: number;
				/** @description Images the user's builds store per UTC day */
				imagesPerDay?: number;
				/** @description Datasets */
				datasets?: number;
				/** @description Bytes stored (images and exports) */
				storageBytes?: number;
				/** @description Requests per minute, per API token */
				apiRequestsPerMinute?: number;
			};
			defaults: components["schemas"]["PlanLimits"];
			usage: components["schemas"]["PlanUsage"];
		};
		/** @description One state-changing request: who, what, on which resource, when, from where and how it ended. */
		ActivityEntry: {
			id: string;
			/**
			 * Format: date-time
			 * @description When the answer was sent
			 */
			at: string;
			/** @description Who: the signed-in user, or the account a sign-up, sign-in, refresh or sign-out was for; null for anonymous callers */
			userId: string | null;
			/**
			 * @description How the user signed in
			 * @enum {string|null}
			 */
			via: "jwt" | "apiToken" | null;
			/** @description The API token used */
			tokenId: string | null;
			/** @description The action the route runs, e.g. dataset.createDataset */
			action: string;
			/** @enum {string} */
			method: "POST" | "PUT" | "PATCH" | "DELETE";
			/** @description The route with its parameters' names, e.g. /api/v1/datasets/:id */
			route: string;
			/** @description e.g. dataset, image, export, job, token, user */
			resourceType: string | null;
			resourceId: string | null;
			/** @description The answer's HTTP status (499: the client left first) */
			status: number;
			requestId: string;
			clientAddress: string;
		};
		/** @description The answer of sign-in and refresh. */
		AuthTokens: {
			/** @description A JWT for the Authorization header */
			accessToken: string;
			/** @description Works once, with POST /auth/refresh */
			refreshToken: string;
			/** @constant */
			tokenType: "Bearer";
			/** @description Seconds the access token lasts */
			expiresIn: number;
		};
		/** @description The answer of sign-in and refresh with `X-PixCrawler-Session: cookie`: the refresh token is in the httpOnly `pixcrawler_refresh` cookie, not in the body. */
		SessionTokens: {
			/** @description A JWT for the Authorization header */
			accessToken: string;
			/** @constant */
			tokenType: "Bearer";
			/** @description Seconds the access token lasts */
			expiresIn: number;
		};
		/** @description An API token as its owner sees it: never the token itself. */
		ApiToken: {
			id: string;
			name: string;
			/** @description The token's first characters, to recognise it */
			prefix: string;
			scopes: ("account:read" | "datasets:read" | "datasets:write" | "crawl:run" | "exports:read" | "tokens:manage")[];
			/**
			 * Format: date-time
			 * @description Null: the token does not expire
			 */
			expiresAt: string | null;
			/**
			 * Format: date-time
			 * @description To the minute
			 */
			lastUsedAt: string | null;
			/** Format: date-time */
			revokedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description A new API token with its text. */
		CreatedApiToken: {
			id: string;
			name: string;
			/** @description The token's first characters, to recognise it */
			prefix: string;
			scopes: ("account:read" | "datasets:read" | "datasets:write" | "crawl:run" | "exports:read" | "tokens:manage")[];
			/**
			 * Format: date-time
			 * @description Null: the token does not expire
			 */
			expiresAt: string | null;
			/**
			 * Format: date-time
			 * @description To the minute
			 */
			lastUsedAt: string | null;
			/** Format: date-time */
			revokedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
			/** @description The token, shown this once: store it now */
			token: string;
		};
		Project: {
			id: string;
			ownerId: string;
			name: string;
			description: string;
			/** @description Datasets in the project */
			datasets: number;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		Category: {
			/** @description Unique within the dataset; the folder name in exports */
			label: string;
			keywords: string[];
			urls: string[];
		};
		/** @description Quality options, defaults filled in. */
		DatasetOptions: {
			maxImagesPerKeyword: number;
			minWidth: number;
			minHeight: number;
			formats: ("jpeg" | "png" | "webp" | "gif" | "avif")[];
			/** @enum {string} */
			validationLevel: "basic" | "standard" | "strict";
			/** @description Hamming distance of perceptual hashes */
			dedupThreshold: number;
			/** @description Empty: any licence */
			licenses: ("cc0" | "public-domain" | "cc-by" | "cc-by-sa" | "cc-by-nd" | "cc-by-nc" | "cc-by-nc-sa" | "cc-by-nc-nd" | "unknown")[];
			/** @enum {string} */
			keywordExpansion: "none" | "predefined" | "llm";
		};
		/** @description Counters kept in step with the dataset's images. */
		DatasetStats: {
			images: number;
			valid: number;
			duplicates: number;
			rejected: number;
			/** @description Bytes of the stored images */
			bytes: number;
		};
		Dataset: {
			id: string;
			ownerId: string;
			projectId: string | null;
			name: string;
			description: string;
			categories: components["schemas"]["Category"][];
			sources: ("bing" | "duckduckgo" | "google" | "baidu" | "wikimedia" | "openverse" | "urls")[];
			options: components["schemas"]["DatasetOptions"];
			/**
			 * @description `deleting` while a delete is under way
			 * @enum {string}
			 */
			status: "draft" | "queued" | "running" | "ready" | "failed" | "cancelled" | "deleting";
			stats: components["schemas"]["DatasetStats"];
			/** @description The latest build */
			currentJobId: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description Null while no image has a size */
		SizeRange: {
			min: number;
			max: number;
		} | null;
		/** @description What a dataset holds, summarised from its images. */
		DatasetMetadata: {
			datasetId: string;
			/** @enum {string} */
			status: "draft" | "queued" | "running" | "ready" | "failed" | "cancelled" | "deleting";
			currentJobId: string | null;
			/** @description Image records of every status */
			images: number;
			/** @description Valid images per label (every label of the dataset, 0 included) */
			perLabel: {
				[key: string]: number;
			};
			perStatus: {
				valid: number;
				duplicate: number;
				rejected: number;
			};
			/** @description Valid images per source */
			perSource: {
				[key: string]: number;
			};
			/** @description Valid images per licence */
			perLicense: {
				[key: string]: number;
			};
			duplicates: number;
			/** @description Rejected images per reason */
			rejectionReasons: {
				[key: string]: number;
			};
			/** @description Bytes of the valid and duplicate images */
			bytes: number;
			width: components["schemas"]["SizeRange"];
			height: components["schemas"]["SizeRange"];
		};
		/** @description An image record with its provenance and, when a file is stored, a signed download link. */
		Image: {
			id: string;
			datasetId: string;
			label: string;
			/** @description The search that found it */
			keyword?: string;
			source: string;
			/** @description Where the bytes came from */
			sourceUrl?: string;
			/** @description The page showing the image */
			pageUrl?: string;
			/** @description A licence code, `unknown` when the source gave none */
			license: string;
			author?: string;
			/** @description Where the file is stored; null once a near-duplicate's file was removed */
			storageKey?: string | null;
			/** @description Of the bytes; for a rejected download, of its URL */
			sha256: string;
			/** @description Perceptual hash (64 bits, hex) */
			phash?: string;
			width?: number;
			height?: number;
			format?: string;
			bytes?: number;
			/** @enum {string} */
			status: "valid" | "duplicate" | "rejected";
			/** @description Why it was rejected or is a duplicate */
			reason?: string;
			/** @description The kept image it duplicates */
			duplicateOf?: string;
			/**
			 * Format: uri-reference
			 * @description Downloads the file without a token until urlExpiresAt; null without a stored file
			 */
			url: string | null;
			/** Format: date-time */
			urlExpiresAt?: string;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description Fractions adding up to 1, stratified per label; the same seed gives the same split. */
		ExportSplit: {
			train: number;
			val: number;
			test: number;
			seed: number;
		};
		ExportProgress: {
			done: number;
			total: number;
		};
		/** @description An export archive: what was asked for, how far it got and, once ready, where it is. */
		Export: {
			id: string;
			datasetId: string;
			ownerId: string;
			/** @enum {string} */
			format: "imagefolder" | "huggingface" | "csv" | "json" | "yaml" | "txt" | "coco" | "yolo";
			split: components["schemas"]["ExportSplit"] | null;
			/** @description Null: every licence */
			licences:
				| ("cc0" | "public-domain" | "cc-by" | "cc-by-sa" | "cc-by-nd" | "cc-by-nc" | "cc-by-nc-sa" | "cc-by-nc-nd" | "unknown")[]
				| null;
			/** @enum {string} */
			status: "queued" | "running" | "ready" | "failed";
			taskId: string;
			attempts: number;
			progress: components["schemas"]["ExportProgress"];
			/** @description Images in the archive, once ready */
			imageCount: number | null;
			/** @description Images whose file could not be read, once ready */
			skipped: number | null;
			/** @description Size of the archive, once ready */
			bytes: number | null;
			/** @description Of the archive, once ready */
			sha256: string | null;
			fileName: string;
			/** @description Why the last attempt failed */
			error: string | null;
			/**
			 * Format: uri-reference
			 * @description Downloads the archive without a token until urlExpiresAt (GET /exports/:id when ready)
			 */
			url?: string;
			/** Format: date-time */
			urlExpiresAt?: string;
			/** Format: date-time */
			startedAt: string | null;
			/** Format: date-time */
			finishedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		BuildStarted: {
			jobId: string;
			/** @constant */
			status: "queued";
		};
		JobProgress: {
			found: number;
			downloaded: number;
			valid: number;
			duplicates: number;
			rejected: number;
			failedTasks: number;
		};
		/** @description A build of a dataset: status, step, counters and timings. */
		Job: {
			id: string;
			datasetId: string;
			ownerId: string;
			/** @enum {string} */
			status: "queued" | "running" | "done" | "failed" | "cancelled";
			/** @enum {string} */
			step: "plan" | "search" | "download" | "finalize" | "done";
			/** @description Rounds fetch further result pages for labels left short */
			round: number;
			progress: components["schemas"]["JobProgress"];
			/** @description Images wanted per label */
			targets: {
				[key: string]: number;
			};
			/** @description Valid images per label at the end of the last round */
			counts: {
				[key: string]: number;
			} | null;
			error: string | null;
			/** @description The plan limit that stopped the build adding images, or null */
			limitReached?: {
				/** @enum {string} */
				limit: "imagesPerDay" | "storageBytes";
				max: number;
				used: number;
				/**
				 * Format: date-time
				 * @description When the limit starts afresh
				 */
				resetsAt?: string;
			} | null;
			/** @description Number of the latest event (Server-Sent Events ids) */
			eventSeq: number;
			/** Format: date-time */
			startedAt: string | null;
			/** Format: date-time */
			finishedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description One unit of a build's background work. */
		Task: {
			id: string;
			jobId: string;
			ownerId: string;
			/** @enum {string} */
			type: "crawl.plan" | "crawl.search" | "crawl.download" | "crawl.finalize";
			/** @description Unique within the job */
			key: string;
			groupId: string | null;
			/** @description What the task works on (depends on its type) */
			payload: Record<string, unknown>;
			/** @enum {string} */
			status: "waiting" | "queued" | "running" | "retrying" | "done" | "failed" | "dead" | "cancelled";
			attempts: number;
			maxAttempts: number;
			/**
			 * Format: date-time
			 * @description When a retrying task runs again
			 */
			nextRunAt: string | null;
			/**
			 * Format: date-time
			 * @description Until when a running task's worker holds it
			 */
			leaseUntil: string | null;
			lastError: string | null;
			/** @description What the task produced (depends on its type), or null */
			result: unknown;
			/** Format: date-time */
			startedAt: string | null;
			/** Format: date-time */
			finishedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		JobLog: {
			id: string;
			jobId: string;
			/** @enum {string} */
			level: "info" | "warn" | "error";
			message: string;
			/** @description Details (counts, targets, task id) */
			data: Record<string, unknown>;
			/** Format: date-time */
			createdAt: string;
		};
		RetryResult: {
			/** @description Tasks requeued */
			requeued: number;
		};
		StorageUsage: {
			bytes: number;
			/** @description Files stored */
			objects: number;
			/** @description Null: no quota */
			quotaBytes: number | null;
			/** @description Null: no quota */
			remainingBytes: number | null;
		};
		StorageUser: {
			userId: string;
			bytes: number;
			objects: number;
		};
		/** @description Storage across all users. */
		StorageOverview: {
			bytes: number;
			objects: number;
			/** @description Users storing anything */
			users: number;
			/** @description Largest first */
			largestUsers: components["schemas"]["StorageUser"][];
		};
		ComponentHealth: {
			name: string;
			/** @enum {string} */
			status: "up" | "down";
			latencyMs: number;
			/** @description Why it is down */
			detail?: string;
		};
		Health: {
			/** @constant */
			status: "ok";
			version: string;
			uptimeSeconds: number;
		};
		DetailedHealth: {
			/** @enum {string} */
			status: "ok" | "degraded";
			version: string;
			uptimeSeconds: number;
			components: components["schemas"]["ComponentHealth"][];
			/** @description Nodes on the bus with their services */
			nodes: {
				id: string;
				available: boolean;
				local: boolean;
				services: string[];
			}[];
		};
		Liveness: {
			/** @constant */
			status: "ok";
		};
		/** @description Answered with 200 when ready, 503 when not. */
		Readiness: {
			/** @enum {string} */
			status: "ok" | "down";
			/** @description Components that are down */
			failed: string[];
			components: {
				name: string;
				/** @enum {string} */
				status: "up" | "down";
			}[];
		};
		/** @description Something that happened to one of your builds, exports or webhooks. */
		Notification: {
			id: string;
			ownerId: string;
			/** @enum {string} */
			type: "job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed" | "webhook.disabled";
			title: string;
			message: string;
			/** @description Ids to follow (jobId, datasetId, exportId, webhookId) and the facts of the outcome */
			data: Record<string, unknown>;
			/**
			 * Format: date-time
			 * @description Null while unread
			 */
			readAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		NotificationsMarked: {
			/** @description Notifications marked read by this call */
			updated: number;
		};
		/** @description Where events are POSTed; never its secret. */
		Webhook: {
			id: string;
			ownerId: string;
			/** Format: uri */
			url: string;
			description: string;
			events: ("job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed")[];
			/** @description False once the platform disabled it after repeated failed deliveries */
			enabled: boolean;
			/** @description Deliveries in a row that failed after all their attempts */
			consecutiveFailures: number;
			/** Format: date-time */
			disabledAt: string | null;
			disabledReason: string | null;
			/**
			 * Format: date-time
			 * @description When the last delivery ended
			 */
			lastDeliveryAt: string | null;
			/**
			 * @description How the last delivery ended
			 * @enum {string|null}
			 */
			lastDeliveryStatus: "delivered" | "failed" | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description A new webhook with its signing secret. */
		CreatedWebhook: {
			id: string;
			ownerId: string;
			/** Format: uri */
			url: string;
			description: string;
			events: ("job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed")[];
			/** @description False once the platform disabled it after repeated failed deliveries */
			enabled: boolean;
			/** @description Deliveries in a row that failed after all their attempts */
			consecutiveFailures: number;
			/** Format: date-time */
			disabledAt: string | null;
			disabledReason: string | null;
			/**
			 * Format: date-time
			 * @description When the last delivery ended
			 */
			lastDeliveryAt: string | null;
			/**
			 * @description How the last delivery ended
			 * @enum {string|null}
			 */
			lastDeliveryStatus: "delivered" | "failed" | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
			/** @description Signs every delivery; shown this once: store it now */
			secret: string;
		};
		/** @description One attempt of a webhook delivery. */
		WebhookAttempt: {
			attempt: number;
			/**
			 * Format: date-time
			 * @description When it was sent
			 */
			at: string;
			/** @description The receiver's answer; null when none came (refused, blocked, timed out) */
			statusCode: number | null;
			durationMs: number;
			/** @description Why it failed; null when it succeeded */
			error: string | null;
			/** @description The backoff before the next attempt (exponential, full jitter); null when none followed */
			retryInMs: number | null;
		};
		/** @description One event sent (or being sent) to one webhook: the durable task and its attempts. */
		WebhookDelivery: {
			/** @description Also the id of its task */
			id: string;
			webhookId: string;
			ownerId: string;
			/** @description The PixCrawler-Event-Id header: the same for every attempt */
			eventId: string;
			/** @enum {string} */
			eventType: "job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed" | "webhook.test";
			/** @description What the receiver gets (as the body's id, type, createdAt and data) */
			event: {
				id: string;
				/** @enum {string} */
				type: "job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed" | "webhook.test";
				/** Format: date-time */
				occurredAt: string;
				/** @description As the JSON body's `data` */
				data: Record<string, unknown>;
			};
			/** @enum {string} */
			status: "queued" | "delivering" | "retrying" | "delivered" | "failed" | "cancelled";
			attempts: number;
			maxAttempts: number;
			/**
			 * Format: date-time
			 * @description When a retrying delivery is attempted again
			 */
			nextRunAt: string | null;
			lastStatusCode: number | null;
			lastError: string | null;
			/** @description Every attempt, oldest first */
			attemptLog: components["schemas"]["WebhookAttempt"][];
			/** Format: date-time */
			deliveredAt: string | null;
			/** Format: date-time */
			finishedAt: string | null;
			/** Format: date-time */
			createdAt: string;
			/** Format: date-time */
			updatedAt: string;
		};
		/** @description An OpenAPI 3.1 document (this one). */
		OpenApiDocument: {
			openapi: string;
			info: Record<string, unknown>;
			paths: Record<string, unknown>;
		};
		/** @description One page of ActivityEntry items. */
		ActivityEntryPage: {
			items: components["schemas"]["ActivityEntry"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of ApiToken items. */
		ApiTokenPage: {
			items: components["schemas"]["ApiToken"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Dataset items. */
		DatasetPage: {
			items: components["schemas"]["Dataset"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Export items. */
		ExportPage: {
			items: components["schemas"]["Export"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Image items. */
		ImagePage: {
			items: components["schemas"]["Image"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Job items. */
		JobPage: {
			items: components["schemas"]["Job"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of JobLog items. */
		JobLogPage: {
			items: components["schemas"]["JobLog"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Notification items. */
		NotificationPage: {
			items: components["schemas"]["Notification"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Project items. */
		ProjectPage: {
			items: components["schemas"]["Project"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Task items. */
		TaskPage: {
			items: components["schemas"]["Task"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of User items. */
		UserPage: {
			items: components["schemas"]["User"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of Webhook items. */
		WebhookPage: {
			items: components["schemas"]["Webhook"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
		/** @description One page of WebhookDelivery items. */
		WebhookDeliveryPage: {
			items: components["schemas"]["WebhookDelivery"][];
			/** @description Items across all pages */
			total: number;
			page: number;
			pageSize: number;
		};
	};
	responses: {
		/** @description Bad Request */
		Problem400: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Unauthorized */
		Problem401: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Forbidden */
		Problem403: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Not Found */
		Problem404: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Conflict */
		Problem409: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Payload Too Large */
		Problem413: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Unsupported Media Type */
		Problem415: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Range Not Satisfiable */
		Problem416: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Unprocessable Entity */
		Problem422: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Too Many Requests */
		Problem429: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Internal Server Error */
		Problem500: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Service Unavailable */
		Problem503: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
		/** @description Gateway Timeout */
		Problem504: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				"application/problem+json": components["schemas"]["Problem"];
			};
		};
	};
	parameters: {
		/**
		 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
		 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
		 */
		IdempotencyKey: string;
		/** @description `cookie`: the refresh token travels in the httpOnly `pixcrawler_refresh` cookie (SameSite=Strict, Path=/api/v1/auth) instead of the body; sign-in and refresh set it and leave `refreshToken` out of the answer, refresh and sign-out read it when the body has no `refreshToken`, sign-out clears it. Without this header the cookie is ignored. */
		SessionMode: "cookie";
		/** @description The refresh token of a browser session, read only with `X-PixCrawler-Session: cookie`. */
		RefreshCookie: string;
	};
	requestBodies: never;
	headers: never;
	pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
	authListActivity: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				action?: string;
				resourceType?: string;
				resourceId?: string;
				from?: string;
				to?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "items": [
					 *         {
					 *           "id": "Vb7TZr8QmX2kLp0s",
					 *           "at": "2026-11-26T09:00:00.120Z",
					 *           "userId": "kQ3ZrV9sF2aXhT1c",
					 *           "via": "jwt",
					 *           "tokenId": null,
					 *           "action": "dataset.createDataset",
					 *           "method": "POST",
					 *           "route": "/api/v1/datasets",
					 *           "resourceType": "dataset",
					 *           "resourceId": "Hq2kVb81sLm0Pz3Q",
					 *           "status": 201,
					 *           "requestId": "3f1c2b9e-8a7d-4c55-9b1e-2f0d6a4c7e11",
					 *           "clientAddress": "203.0.113.7"
					 *         }
					 *       ],
					 *       "total": 1,
					 *       "page": 1,
					 *       "pageSize": 20
					 *     }
					 */
					"application/json": components["schemas"]["ActivityEntryPage"];
				};
			};
			401: components["responses"]["Problem401"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authAdminActivity: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				action?: string;
				resourceType?: string;
				resourceId?: string;
				from?: string;
				to?: string;
				userId?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "items": [
					 *         {
					 *           "id": "Vb7TZr8QmX2kLp0s",
					 *           "at": "2026-11-26T09:00:00.120Z",
					 *           "userId": "kQ3ZrV9sF2aXhT1c",
					 *           "via": "jwt",
					 *           "tokenId": null,
					 *           "action": "dataset.createDataset",
					 *           "method": "POST",
					 *           "route": "/api/v1/datasets",
					 *           "resourceType": "dataset",
					 *           "resourceId": "Hq2kVb81sLm0Pz3Q",
					 *           "status": 201,
					 *           "requestId": "3f1c2b9e-8a7d-4c55-9b1e-2f0d6a4c7e11",
					 *           "clientAddress": "203.0.113.7"
					 *         }
					 *       ],
					 *       "total": 1,
					 *       "page": 1,
					 *       "pageSize": 20
					 *     }
					 */
					"application/json": components["schemas"]["ActivityEntryPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlAdminJobs: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				status?: "queued" | "running" | "done" | "failed" | "cancelled";
				ownerId?: string;
				datasetId?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["JobPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlAdminJob: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Job"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	storageOverview: {
		parameters: {
			query?: {
				top?: number;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["StorageOverview"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlAdminTasks: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				status?: "waiting" | "queued" | "running" | "retrying" | "done" | "failed" | "dead" | "cancelled";
				type?: "crawl.plan" | "crawl.search" | "crawl.download" | "crawl.finalize";
				jobId?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["TaskPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlRequeueTask: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Task"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authUserLimits: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "userId": "kQ3ZrV9sF2aXhT1c",
					 *       "limits": {
					 *         "concurrentJobs": 2,
					 *         "imagesPerDay": 100000,
					 *         "datasets": 100,
					 *         "storageBytes": 10737418240,
					 *         "apiRequestsPerMinute": 120
					 *       },
					 *       "overrides": {},
					 *       "defaults": {
					 *         "concurrentJobs": 2,
					 *         "imagesPerDay": 100000,
					 *         "datasets": 100,
					 *         "storageBytes": 10737418240,
					 *         "apiRequestsPerMinute": 120
					 *       },
					 *       "usage": {
					 *         "concurrentJobs": 1,
					 *         "imagesPerDay": 310,
					 *         "imagesPerDayResetsAt": "2026-11-27T00:00:00.000Z",
					 *         "datasets": 3,
					 *         "storageBytes": 52428800
					 *       }
					 *     }
					 */
					"application/json": components["schemas"]["UserLimits"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authUpdateUserLimits: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: {
			content: {
				/**
				 * @example {
				 *       "datasets": 500,
				 *       "storageBytes": 53687091200,
				 *       "imagesPerDay": null
				 *     }
				 */
				"application/json": {
					concurrentJobs?: number | null;
					imagesPerDay?: number | null;
					datasets?: number | null;
					storageBytes?: number | null;
					apiRequestsPerMinute?: number | null;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "userId": "kQ3ZrV9sF2aXhT1c",
					 *       "limits": {
					 *         "concurrentJobs": 2,
					 *         "imagesPerDay": 100000,
					 *         "datasets": 100,
					 *         "storageBytes": 10737418240,
					 *         "apiRequestsPerMinute": 120
					 *       },
					 *       "overrides": {},
					 *       "defaults": {
					 *         "concurrentJobs": 2,
					 *         "imagesPerDay": 100000,
					 *         "datasets": 100,
					 *         "storageBytes": 10737418240,
					 *         "apiRequestsPerMinute": 120
					 *       },
					 *       "usage": {
					 *         "concurrentJobs": 1,
					 *         "imagesPerDay": 310,
					 *         "imagesPerDayResetsAt": "2026-11-27T00:00:00.000Z",
					 *         "datasets": 3,
					 *         "storageBytes": 52428800
					 *       }
					 *     }
					 */
					"application/json": components["schemas"]["UserLimits"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authLogin: {
		parameters: {
			query?: never;
			header?: {
				/** @description `cookie`: the refresh token travels in the httpOnly `pixcrawler_refresh` cookie (SameSite=Strict, Path=/api/v1/auth) instead of the body; sign-in and refresh set it and leave `refreshToken` out of the answer, refresh and sign-out read it when the body has no `refreshToken`, sign-out clears it. Without this header the cookie is ignored. */
				"X-PixCrawler-Session"?: components["parameters"]["SessionMode"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "email": "ada@example.com",
				 *       "password": "correct horse battery staple"
				 *     }
				 */
				"application/json": {
					email: string;
					password: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
					 *       "refreshToken": "eyJ…",
					 *       "tokenType": "Bearer",
					 *       "expiresIn": 900
					 *     }
					 */
					"application/json": components["schemas"]["AuthTokens"] | components["schemas"]["SessionTokens"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authLogout: {
		parameters: {
			query?: never;
			header?: {
				/** @description `cookie`: the refresh token travels in the httpOnly `pixcrawler_refresh` cookie (SameSite=Strict, Path=/api/v1/auth) instead of the body; sign-in and refresh set it and leave `refreshToken` out of the answer, refresh and sign-out read it when the body has no `refreshToken`, sign-out clears it. Without this header the cookie is ignored. */
				"X-PixCrawler-Session"?: components["parameters"]["SessionMode"];
			};
			path?: never;
			cookie?: {
				/** @description The refresh token of a browser session, read only with `X-PixCrawler-Session: cookie`. */
				pixcrawler_refresh?: components["parameters"]["RefreshCookie"];
			};
		};
		requestBody?: {
			content: {
				"application/json": {
					refreshToken?: string;
				};
			};
		};
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authMe: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "kQ3ZrV9sF2aXhT1c",
					 *       "email": "ada@example.com",
					 *       "name": "Ada",
					 *       "role": "user",
					 *       "active": true,
					 *       "lastLoginAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z",
					 *       "limits": {
					 *         "concurrentJobs": 2,
					 *         "imagesPerDay": 100000,
					 *         "datasets": 100,
					 *         "storageBytes": 10737418240,
					 *         "apiRequestsPerMinute": 120
					 *       },
					 *       "usage": {
					 *         "concurrentJobs": 1,
					 *         "imagesPerDay": 310,
					 *         "imagesPerDayResetsAt": "2026-11-27T00:00:00.000Z",
					 *         "datasets": 3,
					 *         "storageBytes": 52428800
					 *       }
					 *     }
					 */
					"application/json": components["schemas"]["Account"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authUpdateMe: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "name": "Ada Lovelace"
				 *     }
				 */
				"application/json": {
					name: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "kQ3ZrV9sF2aXhT1c",
					 *       "email": "ada@example.com",
					 *       "name": "Ada",
					 *       "role": "user",
					 *       "active": true,
					 *       "lastLoginAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z"
					 *     }
					 */
					"application/json": components["schemas"]["User"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authChangePassword: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "currentPassword": "correct horse battery staple",
				 *       "newPassword": "a new and longer passphrase"
				 *     }
				 */
				"application/json": {
					currentPassword: string;
					newPassword: string;
				};
			};
		};
		responses: {
			/** @description No Content */
			204: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content?: never;
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authRefresh: {
		parameters: {
			query?: never;
			header?: {
				/** @description `cookie`: the refresh token travels in the httpOnly `pixcrawler_refresh` cookie (SameSite=Strict, Path=/api/v1/auth) instead of the body; sign-in and refresh set it and leave `refreshToken` out of the answer, refresh and sign-out read it when the body has no `refreshToken`, sign-out clears it. Without this header the cookie is ignored. */
				"X-PixCrawler-Session"?: components["parameters"]["SessionMode"];
			};
			path?: never;
			cookie?: {
				/** @description The refresh token of a browser session, read only with `X-PixCrawler-Session: cookie`. */
				pixcrawler_refresh?: components["parameters"]["RefreshCookie"];
			};
		};
		requestBody?: {
			content: {
				"application/json": {
					refreshToken?: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
					 *       "refreshToken": "eyJ…",
					 *       "tokenType": "Bearer",
					 *       "expiresIn": 900
					 *     }
					 */
					"application/json": components["schemas"]["AuthTokens"] | components["schemas"]["SessionTokens"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authRegister: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "email": "ada@example.com",
				 *       "password": "correct horse battery staple",
				 *       "name": "Ada"
				 *     }
				 */
				"application/json": {
					email: string;
					password: string;
					name: string;
				};
			};
		};
		responses: {
			/** @description Created */
			201: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "kQ3ZrV9sF2aXhT1c",
					 *       "email": "ada@example.com",
					 *       "name": "Ada",
					 *       "role": "user",
					 *       "active": true,
					 *       "lastLoginAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z"
					 *     }
					 */
					"application/json": components["schemas"]["User"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetListDatasets: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				projectId?: string;
				status?: "draft" | "queued" | "running" | "ready" | "failed" | "cancelled";
				name?: string;
				sort?: "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt" | "name" | "-name";
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["DatasetPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetCreateDataset: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "name": "cats vs dogs",
				 *       "description": "Pets for a first classifier",
				 *       "categories": [
				 *         {
				 *           "label": "cat",
				 *           "keywords": [
				 *             "tabby cat",
				 *             "kitten"
				 *           ],
				 *           "urls": []
				 *         },
				 *         {
				 *           "label": "dog",
				 *           "keywords": [
				 *             "golden retriever",
				 *             "puppy"
				 *           ],
				 *           "urls": []
				 *         }
				 *       ],
				 *       "sources": [
				 *         "wikimedia",
				 *         "openverse"
				 *       ],
				 *       "options": {
				 *         "maxImagesPerKeyword": 200,
				 *         "minWidth": 128,
				 *         "minHeight": 128,
				 *         "validationLevel": "standard",
				 *         "dedupThreshold": 8
				 *       }
				 *     }
				 */
				"application/json": {
					name: string;
					description?: string;
					projectId?: string | null;
					categories: {
						label: string;
						/** @default [] */
						keywords?: string[];
						/** @default [] */
						urls?: string[];
					}[];
					sources: ("bing" | "duckduckgo" | "google" | "baidu" | "wikimedia" | "openverse" | "urls")[];
					options?: {
						maxImagesPerKeyword?: number;
						minWidth?: number;
						minHeight?: number;
						formats?: ("jpeg" | "png" | "webp" | "gif" | "avif")[];
						/** @enum {unknown} */
						validationLevel?: "basic" | "standard" | "strict";
						dedupThreshold?: number;
						licenses?: (
							| "cc0"
							| "public-domain"
							| "cc-by"
							| "cc-by-sa"
							| "cc-by-nd"
							| "cc-by-nc"
							| "cc-by-nc-sa"
							| "cc-by-nc-nd"
							| "unknown"
						)[];
						/** @enum {unknown} */
						keywordExpansion?: "none" | "predefined" | "llm";
					};
				};
			};
		};
		responses: {
			/** @description Created */
			201: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Dataset"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetGetDataset: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Dataset"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetRemoveDataset: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetUpdateDataset: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: {
			content: {
				"application/json": {
					name?: string;
					description?: string;
					projectId?: string | null;
					categories?: {
						label: string;
						/** @default [] */
						keywords?: string[];
						/** @default [] */
						urls?: string[];
					}[];
					sources?: ("bing" | "duckduckgo" | "google" | "baidu" | "wikimedia" | "openverse" | "urls")[];
					options?: {
						maxImagesPerKeyword?: number;
						minWidth?: number;
						minHeight?: number;
						formats?: ("jpeg" | "png" | "webp" | "gif" | "avif")[];
						/** @enum {unknown} */
						validationLevel?: "basic" | "standard" | "strict";
						dedupThreshold?: number;
						licenses?: (
							| "cc0"
							| "public-domain"
							| "cc-by"
							| "cc-by-sa"
							| "cc-by-nd"
							| "cc-by-nc"
							| "cc-by-nc-sa"
							| "cc-by-nc-nd"
							| "unknown"
						)[];
						/** @enum {unknown} */
						keywordExpansion?: "none" | "predefined" | "llm";
					};
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Dataset"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlBuild: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description Accepted */
			202: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "jobId": "Zr8QmX2kLp0sVb7T",
					 *       "status": "queued"
					 *     }
					 */
					"application/json": components["schemas"]["BuildStarted"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlCancelDatasetBuild: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Job"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiDatasetEvents: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/event-stream": string;
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetListExports: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
			};
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["ExportPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetCreateExport: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "format": "huggingface",
				 *       "split": {
				 *         "train": 0.8,
				 *         "val": 0.1,
				 *         "test": 0.1,
				 *         "seed": 42
				 *       }
				 *     }
				 */
				"application/json": {
					/** @enum {unknown} */
					format: "imagefolder" | "huggingface" | "csv" | "json" | "yaml" | "txt" | "coco" | "yolo";
					split?: {
						train: number;
						val: number;
						test: number;
						seed?: number;
					};
					licences?: (
						| "cc0"
						| "public-domain"
						| "cc-by"
						| "cc-by-sa"
						| "cc-by-nd"
						| "cc-by-nc"
						| "cc-by-nc-sa"
						| "cc-by-nc-nd"
						| "unknown"
					)[];
				};
			};
		};
		responses: {
			/** @description Accepted */
			202: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "p3Xk9QmZr2LsV8aT",
					 *       "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *       "format": "huggingface",
					 *       "split": {
					 *         "train": 0.8,
					 *         "val": 0.1,
					 *         "test": 0.1,
					 *         "seed": 42
					 *       },
					 *       "licences": null,
					 *       "status": "queued",
					 *       "taskId": "4f0c2a9e-5d1b-4c47-9a3e-1b2f6d7e8a90",
					 *       "progress": {
					 *         "done": 0,
					 *         "total": 1200
					 *       },
					 *       "imageCount": 1200,
					 *       "skipped": 0,
					 *       "bytes": 183422911,
					 *       "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
					 *       "fileName": "cats-vs-dogs-huggingface.zip"
					 *     }
					 */
					"application/json": components["schemas"]["Export"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetListImages: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				label?: string;
				status?: "valid" | "duplicate" | "rejected";
				source?: string;
				license?: string;
				duplicateOf?: string;
			};
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["ImagePage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetGetImage: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
				imageId: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "Hq2kVb81sLm0Pz3Q",
					 *       "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *       "label": "cat",
					 *       "keyword": "tabby cat",
					 *       "source": "wikimedia",
					 *       "sourceUrl": "https://upload.wikimedia.org/…/Tabby.jpg",
					 *       "pageUrl": "https://commons.wikimedia.org/wiki/File:Tabby.jpg",
					 *       "license": "cc-by-sa",
					 *       "author": "Jane Doe",
					 *       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
					 *       "width": 1024,
					 *       "height": 768,
					 *       "format": "jpeg",
					 *       "bytes": 183422,
					 *       "status": "valid",
					 *       "url": "/api/v1/files/eyJrZXkiOi…"
					 *     }
					 */
					"application/json": components["schemas"]["Image"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetRemoveImage: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
				imageId: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetRelabelImage: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
				imageId: string;
			};
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "label": "dog"
				 *     }
				 */
				"application/json": {
					label: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Image"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetMetadata: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["DatasetMetadata"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiUserEvents: {
		parameters: {
			query?: {
				maxSeconds?: number;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/event-stream": string;
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetGetExport: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "p3Xk9QmZr2LsV8aT",
					 *       "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *       "format": "huggingface",
					 *       "split": {
					 *         "train": 0.8,
					 *         "val": 0.1,
					 *         "test": 0.1,
					 *         "seed": 42
					 *       },
					 *       "licences": null,
					 *       "status": "ready",
					 *       "taskId": "4f0c2a9e-5d1b-4c47-9a3e-1b2f6d7e8a90",
					 *       "progress": {
					 *         "done": 1200,
					 *         "total": 1200
					 *       },
					 *       "imageCount": 1200,
					 *       "skipped": 0,
					 *       "bytes": 183422911,
					 *       "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
					 *       "fileName": "cats-vs-dogs-huggingface.zip",
					 *       "url": "/api/v1/files/eyJrZXkiOi…"
					 *     }
					 */
					"application/json": components["schemas"]["Export"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetRemoveExport: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetDownloadExport: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/zip": string;
				};
			};
			/** @description Partial Content */
			206: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/zip": string;
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			416: components["responses"]["Problem416"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	storageDownload: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				token: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"image/jpeg": string;
					"image/png": string;
					"image/gif": string;
					"image/webp": string;
					"image/avif": string;
					"application/zip": string;
					"application/octet-stream": string;
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiHealth: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "status": "ok",
					 *       "version": "0.1.0",
					 *       "uptimeSeconds": 42
					 *     }
					 */
					"application/json": components["schemas"]["Health"];
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiHealthDetailed: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["DetailedHealth"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlListJobs: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				datasetId?: string;
				status?: "queued" | "running" | "done" | "failed" | "cancelled";
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["JobPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlGetJob: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "Zr8QmX2kLp0sVb7T",
					 *       "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *       "status": "running",
					 *       "step": "download",
					 *       "round": 1,
					 *       "progress": {
					 *         "found": 240,
					 *         "downloaded": 180,
					 *         "valid": 151,
					 *         "duplicates": 12,
					 *         "rejected": 17,
					 *         "failedTasks": 0
					 *       },
					 *       "targets": {
					 *         "cat": 200,
					 *         "dog": 200
					 *       },
					 *       "error": null,
					 *       "createdAt": "2026-11-26T09:00:00.000Z",
					 *       "startedAt": "2026-11-26T09:00:01.000Z",
					 *       "finishedAt": null
					 *     }
					 */
					"application/json": components["schemas"]["Job"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlCancelJob: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Job"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiJobEvents: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/event-stream": string;
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlJobLogs: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
			};
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["JobLogPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlRetryJob: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["RetryResult"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	crawlListTasks: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				type?: "crawl.plan" | "crawl.search" | "crawl.download" | "crawl.finalize";
				status?: "waiting" | "queued" | "running" | "retrying" | "done" | "failed" | "dead" | "cancelled";
			};
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["TaskPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyListNotifications: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				unread?: boolean;
				type?: "job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed" | "webhook.disabled";
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["NotificationPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyMarkNotification: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "read": true
				 *     }
				 */
				"application/json": {
					read: boolean;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "n5Gh2QmZr2LsV8aT",
					 *       "ownerId": "u1Xk9QmZr2LsV8aT",
					 *       "type": "job.completed",
					 *       "title": "Build finished",
					 *       "message": "The build of dataset kQ3ZrV9sF2aXhT1c finished with 400 valid images.",
					 *       "data": {
					 *         "jobId": "Zr8QmX2kLp0sVb7T",
					 *         "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *         "status": "done",
					 *         "counts": {
					 *           "cat": 200,
					 *           "dog": 200
					 *         }
					 *       },
					 *       "readAt": "2026-11-26T09:15:00.000Z",
					 *       "createdAt": "2026-11-26T09:12:00.000Z",
					 *       "updatedAt": "2026-11-26T09:15:00.000Z"
					 *     }
					 */
					"application/json": components["schemas"]["Notification"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyReadAllNotifications: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "updated": 3
					 *     }
					 */
					"application/json": components["schemas"]["NotificationsMarked"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiOpenapi: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["OpenApiDocument"];
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetListProjects: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				name?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["ProjectPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetCreateProject: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "name": "pets",
				 *       "description": "Animal classifiers"
				 *     }
				 */
				"application/json": {
					name: string;
					description?: string;
				};
			};
		};
		responses: {
			/** @description Created */
			201: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Project"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetGetProject: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Project"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetRemoveProject: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	datasetUpdateProject: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: {
			content: {
				"application/json": {
					name?: string;
					description?: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Project"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	storageUsage: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "bytes": 52428800,
					 *       "objects": 310,
					 *       "quotaBytes": 10737418240,
					 *       "remainingBytes": 10685989440
					 *     }
					 */
					"application/json": components["schemas"]["StorageUsage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authListTokens: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["ApiTokenPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authCreateToken: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "name": "training laptop",
				 *       "scopes": [
				 *         "datasets:read",
				 *         "exports:read"
				 *       ],
				 *       "expiresInDays": 90
				 *     }
				 */
				"application/json": {
					name: string;
					scopes: ("account:read" | "datasets:read" | "datasets:write" | "crawl:run" | "exports:read" | "tokens:manage")[];
					expiresInDays?: number;
				};
			};
		};
		responses: {
			/** @description Created */
			201: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "Yc2m9QpLr0aZ7tWe",
					 *       "name": "training laptop",
					 *       "prefix": "pxc_4fK9aQ",
					 *       "scopes": [
					 *         "datasets:read",
					 *         "exports:read"
					 *       ],
					 *       "expiresAt": "2027-02-24T08:00:00.000Z",
					 *       "lastUsedAt": null,
					 *       "revokedAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z",
					 *       "token": "pxc_4fK9aQ…"
					 *     }
					 */
					"application/json": components["schemas"]["CreatedApiToken"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authRevokeToken: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authListUsers: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				email?: string;
				role?: "user" | "superuser";
				active?: boolean;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["UserPage"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authGetUser: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "kQ3ZrV9sF2aXhT1c",
					 *       "email": "ada@example.com",
					 *       "name": "Ada",
					 *       "role": "user",
					 *       "active": true,
					 *       "lastLoginAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z"
					 *     }
					 */
					"application/json": components["schemas"]["User"];
				};
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authRemoveUser: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	authUpdateUser: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: {
			content: {
				/**
				 * @example {
				 *       "role": "superuser"
				 *     }
				 */
				"application/json": {
					/** @enum {unknown} */
					role?: "user" | "superuser";
					active?: boolean;
					name?: string;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "kQ3ZrV9sF2aXhT1c",
					 *       "email": "ada@example.com",
					 *       "name": "Ada",
					 *       "role": "user",
					 *       "active": true,
					 *       "lastLoginAt": null,
					 *       "createdAt": "2026-11-26T08:00:00.000Z",
					 *       "updatedAt": "2026-11-26T08:00:00.000Z"
					 *     }
					 */
					"application/json": components["schemas"]["User"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			403: components["responses"]["Problem403"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyListWebhooks: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["WebhookPage"];
				};
			};
			401: components["responses"]["Problem401"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyCreateWebhook: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				/**
				 * @example {
				 *       "url": "https://hooks.example.com/pixcrawler",
				 *       "events": [
				 *         "job.completed",
				 *         "export.ready"
				 *       ],
				 *       "description": "Training pipeline trigger"
				 *     }
				 */
				"application/json": {
					url: string;
					events: ("job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed")[];
					description?: string;
				};
			};
		};
		responses: {
			/** @description Created */
			201: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "w7RkQ2mZp9LsV3aT",
					 *       "ownerId": "u1Xk9QmZr2LsV8aT",
					 *       "url": "https://hooks.example.com/pixcrawler",
					 *       "description": "Training pipeline trigger",
					 *       "events": [
					 *         "job.completed",
					 *         "export.ready"
					 *       ],
					 *       "enabled": true,
					 *       "consecutiveFailures": 0,
					 *       "disabledAt": null,
					 *       "disabledReason": null,
					 *       "lastDeliveryAt": null,
					 *       "lastDeliveryStatus": null,
					 *       "createdAt": "2026-11-26T09:00:00.000Z",
					 *       "updatedAt": "2026-11-26T09:00:00.000Z",
					 *       "secret": "whsec_Jx1cJw5oZl3Vb0m2QpK7rT9sYv4nHd8aLf6eGu2iWcE"
					 *     }
					 */
					"application/json": components["schemas"]["CreatedWebhook"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyRemoveWebhook: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description No Content */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			401: components["responses"]["Problem401"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyUpdateWebhook: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: {
			content: {
				/**
				 * @example {
				 *       "enabled": true
				 *     }
				 */
				"application/json": {
					url?: string;
					events?: ("job.completed" | "job.failed" | "job.cancelled" | "export.ready" | "export.failed")[];
					description?: string;
					enabled?: boolean;
				};
			};
		};
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Webhook"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			404: components["responses"]["Problem404"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyListDeliveries: {
		parameters: {
			query?: {
				page?: number;
				pageSize?: number;
				status?: "queued" | "delivering" | "retrying" | "delivered" | "failed" | "cancelled";
			};
			header?: never;
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "items": [
					 *         {
					 *           "id": "d4Tn8QmZr2LsV8aX",
					 *           "webhookId": "w7RkQ2mZp9LsV3aT",
					 *           "ownerId": "u1Xk9QmZr2LsV8aT",
					 *           "eventId": "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
					 *           "eventType": "job.completed",
					 *           "event": {
					 *             "id": "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
					 *             "type": "job.completed",
					 *             "occurredAt": "2026-11-26T09:11:58.000Z",
					 *             "data": {
					 *               "jobId": "Zr8QmX2kLp0sVb7T",
					 *               "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *               "status": "done"
					 *             }
					 *           },
					 *           "status": "delivered",
					 *           "attempts": 2,
					 *           "maxAttempts": 8,
					 *           "nextRunAt": null,
					 *           "lastStatusCode": 204,
					 *           "lastError": null,
					 *           "attemptLog": [
					 *             {
					 *               "attempt": 1,
					 *               "at": "2026-11-26T09:11:58.120Z",
					 *               "statusCode": 503,
					 *               "durationMs": 84,
					 *               "error": "HTTP 503",
					 *               "retryInMs": 1796
					 *             },
					 *             {
					 *               "attempt": 2,
					 *               "at": "2026-11-26T09:12:00.000Z",
					 *               "statusCode": 204,
					 *               "durationMs": 61,
					 *               "error": null,
					 *               "retryInMs": null
					 *             }
					 *           ],
					 *           "deliveredAt": "2026-11-26T09:12:00.061Z",
					 *           "finishedAt": "2026-11-26T09:12:00.061Z",
					 *           "createdAt": "2026-11-26T09:11:58.100Z",
					 *           "updatedAt": "2026-11-26T09:12:00.061Z"
					 *         }
					 *       ],
					 *       "total": 1,
					 *       "page": 1,
					 *       "pageSize": 20
					 *     }
					 */
					"application/json": components["schemas"]["WebhookDeliveryPage"];
				};
			};
			401: components["responses"]["Problem401"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	notifyTestWebhook: {
		parameters: {
			query?: never;
			header?: {
				/**
				 * @description Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.
				 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
				 */
				"Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
			};
			path: {
				id: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description Accepted */
			202: {
				headers: {
					/** @description `true` when this is the kept answer to an earlier request with the same Idempotency-Key */
					"Idempotent-Replayed"?: "true";
					[name: string]: unknown;
				};
				content: {
					/**
					 * @example {
					 *       "id": "d4Tn8QmZr2LsV8aX",
					 *       "webhookId": "w7RkQ2mZp9LsV3aT",
					 *       "ownerId": "u1Xk9QmZr2LsV8aT",
					 *       "eventId": "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
					 *       "eventType": "webhook.test",
					 *       "event": {
					 *         "id": "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
					 *         "type": "job.completed",
					 *         "occurredAt": "2026-11-26T09:11:58.000Z",
					 *         "data": {
					 *           "jobId": "Zr8QmX2kLp0sVb7T",
					 *           "datasetId": "kQ3ZrV9sF2aXhT1c",
					 *           "status": "done"
					 *         }
					 *       },
					 *       "status": "queued",
					 *       "attempts": 0,
					 *       "maxAttempts": 1,
					 *       "nextRunAt": null,
					 *       "lastStatusCode": null,
					 *       "lastError": null,
					 *       "attemptLog": [],
					 *       "deliveredAt": null,
					 *       "finishedAt": null,
					 *       "createdAt": "2026-11-26T09:11:58.100Z",
					 *       "updatedAt": "2026-11-26T09:12:00.061Z"
					 *     }
					 */
					"application/json": components["schemas"]["WebhookDelivery"];
				};
			};
			400: components["responses"]["Problem400"];
			401: components["responses"]["Problem401"];
			404: components["responses"]["Problem404"];
			409: components["responses"]["Problem409"];
			413: components["responses"]["Problem413"];
			415: components["responses"]["Problem415"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiSwaggerUi: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/html": string;
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiDocsAsset: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				file: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/css": string;
					"text/javascript": string;
					"image/png": string;
				};
			};
			401: components["responses"]["Problem401"];
			404: components["responses"]["Problem404"];
			422: components["responses"]["Problem422"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiLive: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Liveness"];
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiReady: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Readiness"];
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			/** @description Service Unavailable */
			503: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"application/json": components["schemas"]["Readiness"];
					"application/problem+json": components["schemas"]["Problem"];
				};
			};
			504: components["responses"]["Problem504"];
		};
	};
	apiMetrics: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/plain": string;
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
	apiRedoc: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description OK */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					"text/html": string;
				};
			};
			401: components["responses"]["Problem401"];
			429: components["responses"]["Problem429"];
			500: components["responses"]["Problem500"];
			503: components["responses"]["Problem503"];
			504: components["responses"]["Problem504"];
		};
	};
}
