# One image for the four services, the MCP server and the migrate-and-seed job: the compose file
# picks the entry point. Build: npm ci, tsc to dist/, then drop the dev dependencies (the stress harness,
# benches and test tools run from a checkout, not from the image).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall patches postgres.js (scripts/patch-postgres.mjs says why).
COPY scripts/patch-postgres.mjs scripts/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# The runtime reads checked-in files beside dist/ (lua/, */migrations/, scripts/data/airports.json),
# found from package.json (lib/paths.ts), so the whole built tree comes along.
FROM node:24-bookworm-slim
WORKDIR /app
ENV HOST=0.0.0.0
COPY --from=build --chown=node:node /app ./
# The key volumes' mount points, owned by node: a new named volume takes the ownership it finds here.
RUN mkdir -p /var/lib/skybook/keys /var/lib/skybook/service && chown -R node:node /var/lib/skybook
USER node
EXPOSE 8080 8081 8082 8083 8084
CMD ["node", "dist/flight-svc/server.js"]
