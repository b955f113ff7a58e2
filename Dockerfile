# The runbook manager in a container: node on the compiled server, the database in /data.
#   docker build -t runbook-manager .
#   docker run -d --name runbooks -p 3000:3000 -v runbooks-data:/data \
#     -e PUBLIC_URL=https://ops.example.com runbook-manager
#   docker logs runbooks            (the set-up link, then one JSON line per request)
#   docker exec runbooks npm run cli -- backup /data/backups/nightly.sqlite
# `docker stop` sends SIGTERM: the server finishes the requests in flight and exits 0.
# The node flag in CMD is the one `npm start` passes (package.json; README, Benchmarks).

# Build: dependencies (better-sqlite3 compiles from source where no prebuilt binary fits, which
# needs python3, make and g++) and the TypeScript compiled into dist/ (npm ci runs `prepare`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY server ./server
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Run: only what the server reads at run time, as the unprivileged user of the node image.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_PATH=/data/runbooks.sqlite \
    RUNBOOKS_DIR=/app/runbooks
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY views ./views
COPY runbooks ./runbooks
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=1", "dist/main.js"]
