import fp from "fastify-plugin";
import { REQUEST_ID_HEADER, withRequestId } from "./request-context.js";

/**
 * Echoes the request id (made by genReqId from X-Request-Id) and runs the request inside its
 * context. The context is entered twice: the body arrives in another async context than
 * onRequest ran in, so preValidation re-enters it for the handler.
 */
export const requestIdPlugin = fp(
  async (app) => {
    app.addHook("onRequest", (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      withRequestId(request.id, done);
    });
    app.addHook("preValidation", (request, _reply, done) => withRequestId(request.id, done));
  },
  { name: "request-id" },
);
