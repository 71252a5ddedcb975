import fp from "fastify-plugin";
import { REQUEST_ID_HEADER, withRequestId } from "./request-context.js";

export interface RequestIdOptions {
  /**
   * Run each request inside its id's async context (request-context.ts), for a service whose
   * work reads it: one that forwards the id to other services or logs a request's lines
   * through loggers of its own. On Node 20 the first context entered turns on async hooks for
   * the whole process, which cost a cached search about a sixth of its CPU, so a service that
   * needs neither leaves it off: its request loggers carry the id all the same.
   */
  context: boolean;
}

/**
 * Echoes the request id (made by genReqId from X-Request-Id) and, with `context`, runs the
 * request inside its context. The context is entered twice: the body arrives in another async
 * context than onRequest ran in, so preValidation re-enters it for the handler.
 */
export const requestIdPlugin = fp<RequestIdOptions>(
  async (app, { context }) => {
    app.addHook("onRequest", (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      if (context) withRequestId(request.id, done);
      else done();
    });
    if (context) app.addHook("preValidation", (request, _reply, done) => withRequestId(request.id, done));
  },
  { name: "request-id" },
);
