import { z } from "zod";
import { boundedInt, flag, optionalText, url, variable, wholeNumber } from "../variable";

export const storageArea = {
	driver: variable({
		env: "STORAGE_DRIVER",
		schema: z.enum(["local", "s3"]),
		default: "local",
		description: "Where image and export files live: local (a directory) or s3 (AWS S3, MinIO, R2 or any S3-compatible store)",
	}),
	localDir: variable({
		env: "STORAGE_LOCAL_DIR",
		schema: optionalText,
		default: "",
		description: "Directory of the local driver; empty uses <PIXCRAWLER_DATA_DIR>/storage",
	}),
	s3Bucket: variable({
		env: "STORAGE_S3_BUCKET",
		schema: optionalText,
		default: "",
		description: "Bucket of the s3 driver (required with STORAGE_DRIVER=s3)",
	}),
	s3Region: variable({
		env: "STORAGE_S3_REGION",
		schema: z.string().trim().min(1),
		default: "us-east-1",
		description: "Region of the s3 driver",
	}),
	s3Endpoint: variable({
		env: "STORAGE_S3_ENDPOINT",
		schema: url(["http", "https"]),
		default: "",
		description: "Endpoint of an S3-compatible store (MinIO, R2, …); empty uses AWS",
	}),
	s3PublicEndpoint: variable({
		env: "STORAGE_S3_PUBLIC_ENDPOINT",
		schema: url(["http", "https"]),
		default: "",
		description:
			"Address clients reach the store at, when it differs from STORAGE_S3_ENDPOINT (e.g. http://minio:9000 inside compose, https://files.example.org outside): signed links are made for it",
	}),
	s3ForcePathStyle: variable({
		env: "STORAGE_S3_FORCE_PATH_STYLE",
		schema: flag,
		default: "false",
		description: "Address buckets as endpoint/bucket instead of bucket.endpoint (MinIO and most self-hosted stores need true)",
	}),
	s3AccessKeyId: variable({
		env: "STORAGE_S3_ACCESS_KEY_ID",
		schema: optionalText,
		default: "",
		description: "Access key of the s3 driver; empty uses the AWS default credential chain",
	}),
	s3SecretAccessKey: variable({
		env: "STORAGE_S3_SECRET_ACCESS_KEY",
		schema: optionalText,
		default: "",
		secret: true,
		description: "Secret key for STORAGE_S3_ACCESS_KEY_ID",
	}),
	signingSecret: variable({
		env: "STORAGE_SIGNING_SECRET",
		schema: z.string().min(32, "use at least 32 characters"),
		default: "development-only-storage-signing-secret-0123",
		secret: true,
		developmentDefault: true,
		description: "HMAC secret that signs download links of the local driver (at least 32 characters; required in production)",
	}),
	signedUrlTtlSeconds: variable({
		env: "STORAGE_SIGNED_URL_TTL_SECONDS",
		schema: boundedInt(10, 7 * 86400),
		default: "900",
		description: "How long a signed download link works, in seconds",
	}),
	quotaBytesPerUser: variable({
		env: "STORAGE_QUOTA_BYTES_PER_USER",
		schema: wholeNumber,
		default: "10737418240",
		description: "Bytes each user may store, images and exports (a plan limit: superusers override it per user); 0 means no limit",
	}),
	maxObjectBytes: variable({
		env: "STORAGE_MAX_OBJECT_BYTES",
		schema: wholeNumber.pipe(z.number().int().positive()),
		default: "2147483648",
		description: "Largest single file accepted, in bytes",
	}),
};
