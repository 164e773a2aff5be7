#!/bin/sh
# One-shot run by docker-compose.yml (service minio-init) before any PixCrawler container starts:
# creates the bucket and PixCrawler's own access key, limited to that bucket, then exits 0.
# Idempotent: every `docker compose up` runs it again; existing things are kept or updated.
set -eu

mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$STORAGE_S3_BUCKET"
# Private bucket: clients get presigned links from the storage service.
mc anonymous set none "local/$STORAGE_S3_BUCKET"

# Exactly what services/storage/s3.driver.ts sends: multipart uploads, ranged gets, heads, deletes,
# listings and the HeadBucket of the health check.
bucket="arn:aws:s3:::$STORAGE_S3_BUCKET"
policy=/tmp/pixcrawler-app-policy.json
# printf is a shell builtin: the mc image has little besides mc and a shell
printf '%s\n' "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {
      \"Effect\": \"Allow\",
      \"Action\": [\"s3:GetBucketLocation\", \"s3:ListBucket\", \"s3:ListBucketMultipartUploads\"],
      \"Resource\": [\"$bucket\"]
    },
    {
      \"Effect\": \"Allow\",
      \"Action\": [\"s3:GetObject\", \"s3:PutObject\", \"s3:DeleteObject\", \"s3:AbortMultipartUpload\", \"s3:ListMultipartUploadParts\"],
      \"Resource\": [\"$bucket/*\"]
    }
  ]
}" >"$policy"
mc admin policy create local pixcrawler-app "$policy"
# Adding an existing user sets its secret again, so a changed STORAGE_S3_SECRET_ACCESS_KEY takes effect.
mc admin user add local "$STORAGE_S3_ACCESS_KEY_ID" "$STORAGE_S3_SECRET_ACCESS_KEY"
if ! output=$(mc admin policy attach local pixcrawler-app --user "$STORAGE_S3_ACCESS_KEY_ID" 2>&1); then
	case "$output" in
	*already*) ;; # attached by an earlier run
	*)
		echo "$output" >&2
		exit 1
		;;
	esac
fi
echo "bucket $STORAGE_S3_BUCKET ready for $STORAGE_S3_ACCESS_KEY_ID"
