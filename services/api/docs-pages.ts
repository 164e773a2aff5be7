import path from "node:path";

/** Files of the offline API docs, served from the npm packages that ship them. */
const swaggerDir = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const redocDir = path.dirname(require.resolve("redoc/package.json"));

export const DOCS_ASSETS: Record<string, { file?: string; body?: string; type: string }> = {
	"swagger-ui.css": { file: path.join(swaggerDir, "swagger-ui.css"), type: "text/css; charset=utf-8" },
	"swagger-ui-bundle.js": { file: path.join(swaggerDir, "swagger-ui-bundle.js"), type: "text/javascript; charset=utf-8" },
	"swagger-ui-standalone-preset.js": {
		file: path.join(swaggerDir, "swagger-ui-standalone-preset.js"),
		type: "text/javascript; charset=utf-8",
	},
	"favicon-32x32.png": { file: path.join(swaggerDir, "favicon-32x32.png"), type: "image/png" },
	"redoc.standalone.js": { file: path.join(redocDir, "bundles", "redoc.standalone.js"), type: "text/javascript; charset=utf-8" },
	// Kept out of the HTML so the page runs under a CSP without 'unsafe-inline' scripts.
	"swagger-init.js": {
		type: "text/javascript; charset=utf-8",
		body: `window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
`,
	},
};

export const SWAGGER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PixCrawler API — Swagger UI</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/swagger-init.js"></script>
</body>
</html>
`;

export const REDOC_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PixCrawler API — ReDoc</title>
</head>
<body>
<redoc spec-url="/api/v1/openapi.json"></redoc>
<script src="/docs/assets/redoc.standalone.js"></script>
</body>
</html>
`;

/** Docs pages load their own scripts and Swagger/ReDoc inject styles; nothing else is allowed. */
export const DOCS_CSP =
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'";
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
