import { defineMixin } from "../../lib/define-service";
import { Unauthorized } from "../../lib/errors";
import type { Principal } from "../../lib/types";
import { ACTIVITY_FILTERS, ACTIVITY_SERVICE, ADMIN_ACTIVITY_FILTERS } from "./activity";

const ENTRY_EXAMPLE = {
	id: "Vb7TZr8QmX2kLp0s",
	at: "2026-11-26T09:00:00.120Z",
	userId: "kQ3ZrV9sF2aXhT1c",
	via: "jwt",
	tokenId: null,
	action: "dataset.createDataset",
	method: "POST",
	route: "/api/v1/datasets",
	resourceType: "dataset",
	resourceId: "Hq2kVb81sLm0Pz3Q",
	status: 201,
	requestId: "3f1c2b9e-8a7d-4c55-9b1e-2f0d6a4c7e11",
	clientAddress: "203.0.113.7",
};

const DESCRIPTION =
	"Every state-changing request (POST, PUT, PATCH, DELETE), refused ones included: who, which action and route, on which resource, when, from which address, with which status and request id. Newest first; never a body, so no password or token.";

/** The auth service's facades over the activity log (services/auth/activity.repository.ts). */
export function activityActions() {
	return defineMixin({
		actions: {
			listActivity: {
				rest: "GET /activity",
				auth: "user",
				summary: "Your activity",
				description: `${DESCRIPTION} Only your own requests.`,
				tag: "activity",
				response: { page: "ActivityEntry" },
				responseExample: { items: [ENTRY_EXAMPLE], total: 1, page: 1, pageSize: 20 },
				params: ACTIVITY_FILTERS,
				handler(ctx) {
					const user = ctx.meta.user as Principal | null;
					if (!user) throw new Unauthorized();
					return ctx.call(`${ACTIVITY_SERVICE}.listPage`, { ...ctx.params, userId: user.id });
				},
			},

			adminActivity: {
				rest: "GET /admin/activity",
				auth: "superuser",
				summary: "Every user's activity",
				description: `${DESCRIPTION} Filter by user, action, resource and period.`,
				tag: "activity",
				response: { page: "ActivityEntry" },
				responseExample: { items: [ENTRY_EXAMPLE], total: 1, page: 1, pageSize: 20 },
				params: ADMIN_ACTIVITY_FILTERS,
				handler(ctx) {
					return ctx.call(`${ACTIVITY_SERVICE}.listPage`, ctx.params);
				},
			},
		},
	});
}
