import type { FastifyReply } from "fastify";
import { noteFailure } from "../../lib/access-log.js";
import { RETRY_AFTER_SECONDS } from "../../lib/errors.js";
import type { Answer } from "../with-idempotency.js";

/** A booking's or a change's stored answer, replayed or not: its status, its body and its headers. */
export function sendAnswer(reply: FastifyReply, answer: Answer) {
  if (answer.replayed) void reply.header("idempotent-replayed", "true");
  // A booking that failed because a service was down may be tried again (with a new key).
  if (answer.response.code === 503) void reply.header("retry-after", String(RETRY_AFTER_SECONDS));
  // A failed booking or change is an answer, not a thrown error: the error handler never sees it
  // to put its code on the request's line.
  const { error } = answer.response.body as { error?: unknown };
  if (typeof error === "string") noteFailure(reply.request, { code: error });
  return reply.code(answer.response.code).send(answer.response.body);
}
