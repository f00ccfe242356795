# Node 24 LTS. Build: install everything from the lockfile and compile TypeScript.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies and the compiled output only, run as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/db/migrations ./dist/db/migrations
COPY --from=build /app/core/catalog/default-catalog.json ./dist/core/catalog/default-catalog.json
# The web app's sources: the server bundles them in memory with esbuild when it starts.
COPY --from=build /app/web/index.html ./dist/web/index.html
COPY --from=build /app/web/src ./dist/web/src
# Files the compiled code reads next to itself (the API reports the package version).
COPY package.json ./dist/package.json
# The data folder (uploads, generated media) belongs to the runtime user; a named volume mounted here
# starts as a copy of it, owner included.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
# /readyz answers 200 only when PostgreSQL and Redis answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bin/main.js"]
