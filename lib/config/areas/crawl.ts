import { z } from "zod";
import { boundedInt, flag, optionalText, url, variable, wholeNumber } from "../variable";

const sourceUrl = (name: string, fallback: string) =>
	variable({
		env: `CRAWL_SOURCE_${name.toUpperCase()}_URL`,
		schema: url(["http", "https"]),
		default: fallback,
		description: `Base URL of the ${name} source (tests point it at a local fixture server)`,
	});

export const crawlArea = {
	allowPrivateNetworks: variable({
		env: "CRAWL_ALLOW_PRIVATE_NETWORKS",
		schema: flag,
		default: "false",
		description: "Let the crawler reach loopback, private and link-local addresses (tests and local demos only; production refuses it)",
	}),
	userAgent: variable({
		env: "CRAWL_USER_AGENT",
		schema: z.string().trim().min(10),
		default: "PixCrawler/0.1 (+https://github.com/pixcrawler/pixcrawler; dataset builder)",
		description: "User-Agent of every crawler request: an honest name with a contact URL",
	}),
	connectTimeoutMs: variable({
		env: "CRAWL_CONNECT_TIMEOUT_MS",
		schema: boundedInt(100, 60_000),
		default: "5000",
		description: "Time to open a connection to a host, in milliseconds",
	}),
	headersTimeoutMs: variable({
		env: "CRAWL_HEADERS_TIMEOUT_MS",
		schema: boundedInt(100, 120_000),
		default: "10000",
		description: "Time for a host to send its response headers, in milliseconds",
	}),
	totalTimeoutMs: variable({
		env: "CRAWL_TOTAL_TIMEOUT_MS",
		schema: boundedInt(100, 600_000),
		default: "30000",
		description: "Time for a whole download, redirects included, in milliseconds",
	}),
	maxImageBytes: variable({
		env: "CRAWL_MAX_IMAGE_BYTES",
		schema: wholeNumber.pipe(z.number().int().positive()),
		default: "20971520",
		description: "Largest image downloaded, in bytes (checked from Content-Length and while streaming)",
	}),
	maxPixels: variable({
		env: "CRAWL_MAX_PIXELS",
		schema: wholeNumber.pipe(z.number().int().positive()),
		default: "100000000",
		description: "Largest image in pixels (width × height) decoded; bigger ones are refused as decompression bombs",
	}),
	concurrency: variable({
		env: "CRAWL_CONCURRENCY",
		schema: boundedInt(1, 1000),
		default: "32",
		description: "Downloads one crawl worker process runs at the same time",
	}),
	perHostConcurrency: variable({
		env: "CRAWL_PER_HOST_CONCURRENCY",
		schema: boundedInt(1, 100),
		default: "4",
		description: "Downloads from one host at the same time, per worker process",
	}),
	respectRobots: variable({
		env: "CRAWL_RESPECT_ROBOTS",
		schema: flag,
		default: "true",
		description: "Honour robots.txt and X-Robots-Tag noai/noimageai on image hosts",
	}),
	retryBaseMs: variable({
		env: "CRAWL_RETRY_BASE_MS",
		schema: boundedInt(1, 600_000),
		default: "1000",
		description: "First retry delay of a failed task; each retry doubles it (full jitter)",
	}),
	retryCapMs: variable({
		env: "CRAWL_RETRY_CAP_MS",
		schema: boundedInt(1, 86_400_000),
		default: "300000",
		description: "Longest delay between two attempts of a task",
	}),
	maxAttempts: variable({
		env: "CRAWL_MAX_ATTEMPTS",
		schema: boundedInt(1, 50),
		default: "5",
		description: "Attempts of a task before it is dead",
	}),
	maxConcurrentJobsPerUser: variable({
		env: "CRAWL_MAX_CONCURRENT_JOBS_PER_USER",
		schema: boundedInt(1, 100),
		default: "2",
		description: "Builds one user may have queued or running at once (a plan limit: superusers override it per user)",
	}),
	schedulerIntervalMs: variable({
		env: "CRAWL_SCHEDULER_INTERVAL_MS",
		schema: boundedInt(50, 60_000),
		default: "500",
		description: "How often the saga owner publishes due retries and re-publishes tasks whose worker went quiet",
	}),
	taskLeaseMs: variable({
		env: "CRAWL_TASK_LEASE_MS",
		schema: boundedInt(1000, 600_000),
		default: "30000",
		description: "How long a claimed task stays its worker's without a heartbeat; after it, another replica takes the task over",
	}),
	keywordsLlmUrl: variable({
		env: "CRAWL_KEYWORDS_LLM_URL",
		schema: url(["http", "https"]),
		default: "",
		description: "OpenAI-compatible endpoint (…/v1) that suggests keyword variations; empty uses the predefined ones",
	}),
	keywordsLlmModel: variable({
		env: "CRAWL_KEYWORDS_LLM_MODEL",
		schema: z.string().trim().min(1),
		default: "gpt-4o-mini",
		description: "Model asked for keyword variations",
	}),
	keywordsLlmApiKey: variable({
		env: "CRAWL_KEYWORDS_LLM_API_KEY",
		schema: optionalText,
		default: "",
		secret: true,
		description: "API key of the keyword endpoint",
	}),
	bingUrl: sourceUrl("bing", "https://www.bing.com"),
	duckduckgoUrl: sourceUrl("duckduckgo", "https://duckduckgo.com"),
	googleUrl: sourceUrl("google", "https://www.google.com"),
	baiduUrl: sourceUrl("baidu", "https://image.baidu.com"),
	wikimediaUrl: sourceUrl("wikimedia", "https://commons.wikimedia.org"),
	openverseUrl: sourceUrl("openverse", "https://api.openverse.org"),
};
