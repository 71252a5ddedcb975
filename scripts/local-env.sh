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
# The store URLs as the user gave them, before infra_urls fills them in: db-reset starts the local
# Redis and PostgreSQL with infra.sh, which starts none that a URL names.
export GIVEN_REDIS_URL=${REDIS_URL:-} GIVEN_FLIGHTS_DATABASE_URL=${FLIGHTS_DATABASE_URL:-} \
  GIVEN_BOOKINGS_DATABASE_URL=${BOOKINGS_DATABASE_URL:-}
infra_urls
service_urls
exec "$@"
