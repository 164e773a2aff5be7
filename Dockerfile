# syntax=docker/dockerfile:1
# One image for every PixCrawler service: SERVICES picks what a container runs (api, auth, dataset,
# crawl, crawl-worker, storage; empty runs all). See docs/docker.md.
# Node 22.12+ is needed: the compiled CommonJS require()s ES-module-only packages (file-type).
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

# ---- build: compile TypeScript to dist/, bundle the dashboard into dist/web ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# tsc and vite (esbuild, rollup: their prebuilt binaries are platform packages) are all the build
# runs, so no install script is needed (esbuild's and @swc/core's only check those binaries).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json moleculer.config.ts ./
COPY bin ./bin
COPY lib ./lib
COPY mixins ./mixins
COPY services ./services
# the dashboard reuses the SDK's types and its event-stream reader
COPY web ./web
COPY sdk/src ./sdk/src
RUN npm run build

# ---- runtime: production dependencies and dist/ only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PIXCRAWLER_ENV=production \
    PIXCRAWLER_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency needs its install script. sharp (0.35) and
# @node-rs/argon2 load prebuilt binaries from their platform optionalDependencies, which npm ci
# installs for the build platform; the scripts skipped are core-js's and es5-ext's banners and
# @scarf/scarf's install analytics. Files stay owned by root: the service user cannot change its code.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The only directory written at run time (NeDB files and the local storage driver); with MongoDB and
# S3 nothing is written at all, so the root file system can be mounted read-only.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# Containers with the gateway (SERVICES empty or naming api) are healthy when GET /health answers 2xx;
# the others when their node probe (PIXCRAWLER_PROBE_PORT, lib/middlewares/node-probes.ts) answers
# GET /health. A node that opens no probe port passes while the process runs (a stopped broker ends the
# process, which the restart policy handles). node, not curl: the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "const e=process.env,s=(e.SERVICES||'').split(',').map((x)=>x.trim()).filter(Boolean),g=s.length===0||s.includes('api'),p=Number(g?e.GATEWAY_PORT||3000:e.PIXCRAWLER_PROBE_PORT||0);if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/health',{signal:AbortSignal.timeout(4000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# moleculer-runner stops the broker on SIGTERM (in-flight requests finish, up to the broker's
# shutdownTimeout), so node runs as PID 1 without an init.
STOPSIGNAL SIGTERM
CMD ["node", "dist/bin/pixcrawler.js"]
