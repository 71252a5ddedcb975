# Skybook: `make help` lists the targets. Every target that talks to Redis, PostgreSQL or the
# services finds them where `make run` puts them: REDIS_PORT, PG_PORT, FLIGHT_PORT, BOOKING_PORT,
# PAYMENT_PORT, USER_PORT, unless the *_URL settings name them (scripts/local-env.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
ARGS ?=

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: setup
setup: node_modules ## install npm packages and start local Redis and PostgreSQL
	scripts/infra.sh up
	scripts/local-env.sh node --import tsx scripts/migrate.ts

.PHONY: build
build: node_modules ## compile TypeScript to dist/
	scripts/build.sh

.PHONY: run
run: node_modules ## everything in the foreground: infra, migrations, demo data, the four services (Ctrl-C stops)
	scripts/services.sh run

.PHONY: up
up: node_modules ## the same as run, in the background (PIDs and logs under .run/)
	scripts/services.sh up

.PHONY: down
down: ## stop what `make up` started
	scripts/services.sh down

.PHONY: cluster-up
cluster-up: node_modules ## the scaled-out system: Redis Cluster (3+3), PostgreSQL, two instances of every service behind nginx on the usual ports
	scripts/cluster.sh up

.PHONY: cluster-restart
cluster-restart: node_modules ## a rolling restart of make cluster-up's instances, one at a time, each ready before the next (ARGS="booking-svc" for some)
	scripts/cluster.sh restart $(ARGS)

.PHONY: cluster-down
cluster-down: ## stop what `make cluster-up` started
	scripts/cluster.sh down

.PHONY: logs
logs: ## follow the services' logs
	scripts/services.sh logs

.PHONY: test
test: ## the whole test suite in a throw-away setup; ends with "N passed, N failed"
	scripts/test.sh

.PHONY: test-node24
test-node24: ## the same suite on Node 24 (installed from the npm registry under .run/node24)
	scripts/node24.sh

.PHONY: bench-node24
bench-node24: node_modules ## the same benches on Node 24, services and stand-ins alike (ARGS as for bench)
	scripts/node24.sh scripts/bench.sh $(ARGS)

.PHONY: mcp
mcp: ## the MCP server over stdio for an assistant (SKYBOOK_TOKEN or its login tool; docs/mcp.md)
	@exec scripts/local-env.sh node --import tsx mcp/main.ts

.PHONY: mcp-http
mcp-http: node_modules ## the MCP server over Streamable HTTP on MCP_PORT (8084), Bearer tokens required
	scripts/local-env.sh node --import tsx mcp/main.ts --http

.PHONY: stress-test
stress-test: node_modules ## the autocannon stress harness (ARGS="--scenario search --duration 10")
	scripts/stress.sh $(ARGS)

.PHONY: chaos
chaos: node_modules ## fault harness: PostgreSQL stopped, Redis killed, services killed under load (ARGS="--fault pg-stop-5 --repeat 5")
	scripts/chaos.sh $(ARGS)

.PHONY: bench
bench: node_modules ## benchmarks that print figures and ratios
	scripts/bench.sh $(ARGS)

.PHONY: reconcile
reconcile: node_modules ## report and repair seat-counter drift between Redis and PostgreSQL
	scripts/local-env.sh node --import tsx scripts/reconcile.ts $(ARGS)

.PHONY: seed
seed: node_modules ## load demo data (ARGS="--flights-per-day 100000 --days 3 --seed 42")
	scripts/local-env.sh node --import tsx scripts/generate-data.ts $(ARGS)

.PHONY: user
user: node_modules ## create an account or set its password, and its role if given (ARGS="--username NAME --password PW [--role admin]")
	scripts/local-env.sh node --import tsx scripts/user.ts $(ARGS)

.PHONY: db-reset
db-reset: node_modules ## drop and re-create both databases, migrate, load demo data
	scripts/local-env.sh node --import tsx scripts/db-reset.ts $(ARGS)

.PHONY: fmt
fmt: node_modules ## format and fix what Biome can
	npx biome check --write .

.PHONY: lint
lint: node_modules ## Biome lint and format check
	npx biome check .

.PHONY: typecheck
typecheck: node_modules ## TypeScript, no emit
	npx tsc -p tsconfig.json --noEmit

.PHONY: clean
clean: ## stop what runs (make up's and make cluster-up's), remove build output, reports and local data (databases included)
	-scripts/services.sh stop-all
	-[ ! -d "$${CLUSTER_RUN_DIR:-.run/cluster}" ] || scripts/cluster.sh down
	scripts/infra.sh clean
	rm -rf dist dist-test .tap stress/reports

.PHONY: docker-up
docker-up: ## the system in Docker (needs a Docker engine)
	docker compose up -d --build

.PHONY: docker-observability
docker-observability: ## the Docker system plus Prometheus and Grafana (the Skybook dashboard opens at the printed URL)
	docker compose --profile observability up -d --build
	@echo "Grafana (Skybook dashboard): http://localhost:$${GRAFANA_PORT:-3000}  Prometheus: http://localhost:$${PROMETHEUS_PORT:-9090}"

.PHONY: docker-down
docker-down: ## stop the Docker system (Prometheus and Grafana included)
	docker compose --profile observability down
