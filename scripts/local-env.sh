#!/usr/bin/env bash
# Runs a command with the addresses `make run` gives the services (scripts/infra-env.sh): Redis
# and PostgreSQL on REDIS_PORT / PG_PORT, the services on FLIGHT_PORT, BOOKING_PORT,
# PAYMENT_PORT and USER_PORT, each unless its *_URL setting names it. The Makefile runs every
# target that talks to the stores or the services through it (setup's migrations, seed, user,
# reconcile, db-reset, mcp, mcp-http), so that moving the ports moves them too: with PG_PORT set,
# `make db-reset` resets that stack's databases, not those of a stack on the default ports.
#   scripts/local-env.sh node --import tsx scripts/user.ts --username NAME ...
# It prints nothing of its own (`make mcp`'s stdout belongs to the protocol).
set -euo pipefail
. "$(dirname "$0")/infra-env.sh"
# As GIVEN_<name>: db-reset starts the local Redis and PostgreSQL with infra.sh, which starts none
# that a URL names, and by now every URL is set.
while IFS= read -r given; do export "GIVEN_$given"; done < <(given_store_urls)
infra_urls
service_urls
exec "$@"
