# syntax=docker/dockerfile:1
# One image per service, from the compiled output (see docs/deploying.md):
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=ledger -t postrade/ledger .
# docker-compose.yml's production profile builds and runs these images.
ARG NODE_IMAGE=node:20.19-bookworm-slim

# 1. Compile: the five shared libraries the services use and the one service, to dist/.
FROM ${NODE_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<name> is required (one of apps/*)" >&2; exit 1)
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/build tools/build
COPY libs libs
COPY apps/${SERVICE} apps/${SERVICE}
RUN node tools/build/compile.mjs libs/kernel libs/contracts libs/persistence libs/platform libs/messaging apps/${SERVICE}
# The entry point has one fixed name whatever the service (/app/main.js requires apps/<service>/src/main.js),
# and service.json names the service and its default port (SERVICE_PORTS of @postrade/contracts) for the health check.
RUN test -f "dist/apps/${SERVICE}/src/main.js" \
 && printf "require('./apps/%s/src/main.js');\n" "${SERVICE}" > dist/main.js \
 && node -e "const { SERVICE_PORTS } = require('./dist/libs/contracts/src/index.js'); const port = SERVICE_PORTS[process.argv[1]]; if (!port) throw new Error('unknown service ' + process.argv[1]); require('node:fs').writeFileSync('dist/service.json', JSON.stringify({ service: process.argv[1], port }))" "${SERVICE}"

# 2. Runtime dependencies only: no compiler, ts-node, Nx, Jest or embedded Postgres.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional too: typeorm names ts-node (and so typescript) as an optional peer, which npm would install.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The image: compiled code and production node_modules, owned by root and run as `node`
#    (uid 1000), so the service cannot change its own code; it writes nothing to disk, so the root
#    filesystem can be read-only (docker run --read-only, compose `read_only: true`).
FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production \
    POSTRADE_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/ ./
COPY package.json ./
COPY docker/healthcheck.js ./
USER node
EXPOSE 3001-3006
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 CMD ["node", "healthcheck.js"]
ENTRYPOINT ["node", "--enable-source-maps", "main.js"]
