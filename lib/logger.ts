import type { FastifyBaseLogger, FastifyRequest, FastifyServerOptions } from "fastify";
import type { Bindings, ChildLoggerOptions } from "fastify/types/logger.js";
import { BINDINGS_REDACTION, redactObject, redactUrl } from "./log-redaction.js";
import { currentRequestId } from "./request-context.js";

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

/**
 * Fastify's request serializer (logger-pino.js), with the URL's secrets cut out: a request object
 * is not walked by redactObject, and its URL is only read here.
 */
function requestFields(req: FastifyRequest) {
  // Typed as Fastify's request, but called with a line's plain { method, url } too.
  const headers = req.headers as FastifyRequest["headers"] | undefined;
  return {
    method: req.method,
    url: typeof req.url === "string" ? redactUrl(req.url) : undefined,
    version: headers?.["accept-version"] as string | undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function loggerOptions(level: string, service: string): FastifyServerOptions["logger"] {
  if (level === "silent") return false;
  return {
    level,
    // pid: which worker wrote the line when a service runs several (lib/workers.ts).
    base: { service, pid: process.pid },
    // A line's fields, at any depth, and a child logger's bindings (log-redaction.ts).
    formatters: { log: (o) => redactObject(o) },
    redact: BINDINGS_REDACTION,
    serializers: { req: requestFields },
    mixin: stampRequestId,
  };
}
