import type { FastifyInstance, FastifyReply } from "fastify";

// The Go original wrote every body with json.Encoder, which ends it with "\n"; its clients
// (curl -w "HTTP %{http_code}" scripts) read the status from the line after the body. One
// onSend hook on the root instance covers every route, the error and not-found handlers and
// prebuilt JSON strings alike; Fastify sets content-length after onSend, so it stays right.

function isJson(reply: FastifyReply): boolean {
  const type = reply.getHeader("content-type");
  return typeof type === "string" && type.startsWith("application/json");
}

export function installJsonNewline(app: FastifyInstance): void {
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (typeof payload === "string" && !payload.endsWith("\n") && isJson(reply)) {
      done(null, `${payload}\n`);
      return;
    }
    done(null, payload);
  });
}
