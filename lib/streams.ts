import type { FastifyReply, FastifyRequest } from "fastify";

// Fastify still runs its onResponse hooks and writes its request line when a taken-over response
// finishes (the server ends the stream: its token expired, a HEAD), though not when the client
// goes: a stream counts and logs itself when it ends (countStream, logStreamEnded), and Fastify's
// hooks leave it alone, so it is seen once and its life never reads as a request's latency.
const streams = new WeakSet<FastifyRequest>();

/** `reply.hijack()` for a response the route streams itself and counts and logs when it ends. */
export function takeOverForStream(request: FastifyRequest, reply: FastifyReply): void {
  streams.add(request);
  reply.hijack();
}

export const isStream = (request: FastifyRequest): boolean => streams.has(request);
