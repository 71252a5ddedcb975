#!/usr/bin/env node
// Runs after every npm install (package.json "postinstall"); `--check` only reports.
//
// postgres.js (3.4.9, the newest release) defers small writes with setImmediate. When the
// socket closes first — PostgreSQL stopped or a backend terminated while a transaction ran, so
// sql.begin's own ROLLBACK is written to a closed connection — the deferred write dereferences
// the null socket and throws from the immediate: an uncaught TypeError that kills the process
// (porsager/postgres #1066, #1154, #1208). Two more leftovers of a closed connection hurt after
// an outage: the teardown cancels that write without forgetting it (a reconnected connection
// would send the stale bytes first, or never flush), and the error the server sent as it went
// away (57P01 "terminating connection", 57P03 "the database system is shutting down") stays
// pending, to be handed to the first query after the reconnect.
// The patch fails the waiting queries with CONNECTION_CLOSED instead of throwing, and a closed
// connection forgets its pending write, its query and the server's last error.
//
// A new connection's first statement is postgres.js' own query for the array types, run by an
// async function whose promise nobody holds. When the connection drops during that query (a
// PostgreSQL outage, a cut network), the promise rejects unhandled and the process exits
// (porsager/postgres #1192, #1205, #1223). The connection's own error and close handling already
// fails the query that waits for it, so the second patch only gives that promise a handler.
//
// Each patch has its own marker, so an install patched before a patch existed gets the new one.
// The script refuses to run on a postgres.js whose code it does not recognise.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");
const FILES = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"];
const CLOSED_MARKER = "skybook: the socket closed while this write waited";
const TYPES_MARKER = "skybook: the array types' fetch fails with its connection";

const GUARD_FROM = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const GUARD_TO = `  function nextWrite(fn) {
    if (!socket) {
      // ${CLOSED_MARKER}: fail its queries instead of throwing from an immediate
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      query = errorResponse = null
      return true
    }
    const x = socket.write(chunk, fn)`;
const TEARDOWN = /^ {4}clearImmediate\(nextWriteTimer\)$/gm;
const CLOSED_FROM = `    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
`;
const CLOSED_TO = `${CLOSED_FROM}    query = errorResponse = null
`;

const TYPES_FROM = /^( +)return fetchArrayTypes\(\)$/m;
const TYPES_TO = `$1// ${TYPES_MARKER}: that failure reaches the waiting query through the connection
$1return fetchArrayTypes().catch(() => {})`;

function unknownCode(file) {
  return new Error(`${file}: not the postgres.js code this patch knows; check the upstream fix and update it`);
}

const PATCHES = [
  {
    marker: CLOSED_MARKER,
    apply(source, file) {
      const known = source.includes(GUARD_FROM) && source.includes(CLOSED_FROM);
      if (!known || (source.match(TEARDOWN) ?? []).length !== 2) throw unknownCode(file);
      return source
        .replace(GUARD_FROM, GUARD_TO)
        .replace(CLOSED_FROM, CLOSED_TO)
        .replace(TEARDOWN, "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null");
    },
  },
  {
    marker: TYPES_MARKER,
    apply(source, file) {
      if (!TYPES_FROM.test(source)) throw unknownCode(file);
      return source.replace(TYPES_FROM, TYPES_TO);
    },
  },
];

async function main() {
  const check = process.argv.includes("--check");
  let missing = 0;
  for (const file of FILES) {
    const path = join(PACKAGE, file);
    const source = await readFile(path, "utf8");
    const todo = PATCHES.filter((p) => !source.includes(p.marker));
    if (todo.length === 0) continue;
    missing++;
    const text = todo.reduce((patchedSoFar, p) => p.apply(patchedSoFar, file), source);
    if (!check) await writeFile(path, text);
  }
  if (check && missing > 0) {
    process.stderr.write(`patch-postgres: ${missing} file(s) of postgres.js are not patched; run npm ci\n`);
    process.exitCode = 1;
  } else if (!check && missing > 0) {
    process.stdout.write(
      `patch-postgres: patched ${missing} file(s) of postgres.js (closed connections, array types)\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`patch-postgres: ${err.message}\n`);
  process.exitCode = 1;
});
