import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";
import type { Bindings, ChildLoggerOptions } from "fastify/types/logger.js";
import { currentRequestId } from "./request-context.js";

// Passenger names and emails must never reach a log line, wherever they appear in an object, nor
// a secret a URL carries.
export const REDACT_PATHS = [
  "passengers",
  "*.passengers",
  "*.*.passengers",
  "req.body",
  "body.passengers",
  "name",
  "email",
  "*.name",
  "*.email",
  "*.*.name",
  "*.*.email",
  // postgres.js errors may carry the statement's parameters (a booking insert holds passengers).
  "err.parameters",
  "*.err.parameters",
  // A URL keeps its path and query, less the values of secret parameters (redactUrl).
  "url",
  "*.url",
  // @fastify/websocket names a refused upgrade's whole URL `path`.
  "path",
];

const CENSOR = "[redacted]";

// A browser sends its access token for /api/updates as `?access_token=` (it cannot set a header
// there); the API's other secrets are as secret should a client put one in a URL by mistake.
const SECRET_PARAMS = new Set(["access_token", "refresh_token", "client_secret", "password"]);

// Compared as the query parser will read it: `access%5Ftoken` is access_token too.
function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " ")).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `url` as a log line may show it: each secret query parameter's value replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.has(paramName(name)) ? `${name}=${CENSOR}` : pair;
    });
  return `${url.slice(0, q + 1)}${pairs.join("&")}`;
}

function censor(value: unknown, path: string[]): unknown {
  const key = path.at(-1);
  if (key === "url" || key === "path") return typeof value === "string" ? redactUrl(value) : value;
  return CENSOR;
}

// Fastify binds reqId to a request's own logger; pino children inherit this mark through their
// prototype, so the mixin below never writes reqId twice on one line.
const BOUND = Symbol("skybook.reqIdBound");

type LogFn = FastifyBaseLogger["info"];

/**
 * A request's logger, made only when the request writes a line: most requests write none
 * (access-log.ts), and a pino child with redaction cost a few percent of a payment's or a
 * hold's CPU (profiled 2026-12-02). The child it makes is marked as carrying reqId.
 */
class RequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly opts: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    if (!this.made) {
      this.made = this.parent.child(this.bindings, this.opts);
      Object.defineProperty(this.made, BOUND, { value: true });
    }
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.opts.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  // Methods rather than arrow fields: one of these is made per request, and fields would be
  // seven closures each time.
  fatal(...args: Parameters<LogFn>): void {
    this.logger.fatal(...args);
  }
  error(...args: Parameters<LogFn>): void {
    this.logger.error(...args);
  }
  warn(...args: Parameters<LogFn>): void {
    this.logger.warn(...args);
  }
  info(...args: Parameters<LogFn>): void {
    this.logger.info(...args);
  }
  debug(...args: Parameters<LogFn>): void {
    this.logger.debug(...args);
  }
  trace(...args: Parameters<LogFn>): void {
    this.logger.trace(...args);
  }
  silent(): void {}

  child(bindings: Bindings, opts?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, opts);
  }
}

/** Request loggers as Fastify asks for them: made on first use, marked as already carrying reqId. */
export const childLoggerFactory: NonNullable<FastifyServerOptions["childLoggerFactory"]> = (logger, bindings, opts) =>
  new RequestLogger(logger, bindings, opts);

// Lines written on behalf of a request through another logger (the saga's, the upstream
// clients') get the request's id from its async context.
function stampRequestId(_obj: object, _level: number, logger: object): object {
  if ((logger as Record<symbol, unknown>)[BOUND]) return {};
  const reqId = currentRequestId();
  return reqId ? { reqId } : {};
}

export function loggerOptions(level: string, service: string): FastifyServerOptions["logger"] {
  if (level === "silent") return false;
  return {
    level,
    // pid: which worker wrote the line when a service runs several (lib/workers.ts).
    base: { service, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor },
    mixin: stampRequestId,
  };
}
