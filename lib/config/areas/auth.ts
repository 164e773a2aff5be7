import { z } from "zod";
import { boundedInt, variable } from "../variable";

export const authArea = {
	jwtSecret: variable({
		env: "AUTH_JWT_SECRET",
		schema: z.string().min(32, "use at least 32 characters"),
		default: "development-only-secret-change-me-0123456789",
		secret: true,
		developmentDefault: true,
		description: "HMAC secret that signs access and refresh tokens (at least 32 characters; required in production)",
	}),
	jwtIssuer: variable({
		env: "AUTH_JWT_ISSUER",
		schema: z.string().trim().min(1),
		default: "pixcrawler",
		description: "Issuer (iss) written into and required from every token",
	}),
	jwtAudience: variable({
		env: "AUTH_JWT_AUDIENCE",
		schema: z.string().trim().min(1),
		default: "pixcrawler-api",
		description: "Audience (aud) written into and required from every token",
	}),
	accessTokenTtlSeconds: variable({
		env: "AUTH_ACCESS_TOKEN_TTL_SECONDS",
		schema: boundedInt(1, 86400),
		default: "900",
		description: "Lifetime of an access token, in seconds",
	}),
	refreshTokenTtlSeconds: variable({
		env: "AUTH_REFRESH_TOKEN_TTL_SECONDS",
		schema: boundedInt(60, 31536000),
		default: "2592000",
		description:
			"Lifetime of a refresh token, in seconds; each rotation issues a new one, so a session lasts while it is used at least this often",
	}),
	activityRetentionDays: variable({
		env: "AUTH_ACTIVITY_RETENTION_DAYS",
		schema: boundedInt(1, 3650),
		default: "90",
		description: "Days the activity log (every state-changing request) keeps an entry; older entries are pruned every hour",
	}),
};
