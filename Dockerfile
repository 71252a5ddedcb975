# One image for the three services (and the migrate-and-seed job): the compose file picks the
# entry point. Build: npm ci, tsc to dist/, then drop the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall patches postgres.js (scripts/patch-postgres.mjs says why).
COPY scripts/patch-postgres.mjs scripts/
# npm ci refuses a lock file that lacks some platform's optional packages (the lock made where
# the registry had no Android build of Biome); npm install then resolves from the same lock.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# The runtime reads checked-in files beside dist/ (lua/, */migrations/, scripts/data/airports.json),
# found from package.json (lib/paths.ts), so the whole built tree comes along.
FROM node:20-bookworm-slim
WORKDIR /app
ENV HOST=0.0.0.0
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 8080 8081 8082
CMD ["node", "dist/flight-svc/server.js"]
