import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Api, ApiAnswer, ApiCall, Service } from "./api-client.js";
import type { Session } from "./session.js";

// A booking and a flight as resources an assistant can attach to a conversation. Each read is the
// same REST call as get_booking / get_flight, so another user's booking is as absent here too.

const JSON_TYPE = "application/json";

/** The MCP error for a resource that does not exist (the specification's -32002). */
const RESOURCE_NOT_FOUND = -32002;

const TEMPLATES = [
  {
    uriTemplate: "skybook://bookings/{id}",
    name: "booking",
    title: "A booking",
    description: "One of the signed-in user's bookings, as GET /api/bookings/:id answers it.",
    mimeType: JSON_TYPE,
  },
  {
    uriTemplate: "skybook://flights/{id}",
    name: "flight",
    title: "A flight",
    description: "One flight with its available seats, as GET /api/flights/:id answers it.",
    mimeType: JSON_TYPE,
  },
];

const READS: Record<string, { service: Service; path: (id: string) => string }> = {
  bookings: { service: "booking", path: (id) => `/api/bookings/${id}` },
  flights: { service: "flight", path: (id) => `/api/flights/${id}` },
};

/** The API's refusal as an MCP error, its `{error, message}` as the error's data. */
function apiError(answer: ApiAnswer): McpError {
  const code =
    answer.status === 404
      ? RESOURCE_NOT_FOUND
      : answer.status < 500
        ? ErrorCode.InvalidRequest
        : ErrorCode.InternalError;
  return new McpError(code, JSON.stringify(answer.body), answer.body);
}

export function registerResources(server: Server, api: Api, session: Session): void {
  const get = (service: Service, call: ApiCall) => api(service, { ...call, token: session.token });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: TEMPLATES }));

  // The user's latest bookings are the resources worth listing; flights are too many to list.
  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    if (session.token === "") return { resources: [] };
    const answer = await get("booking", { method: "GET", path: "/api/bookings" });
    if (answer.status !== 200) throw apiError(answer);
    return {
      resources: (answer.body.bookings as { booking_id: number; status: string }[]).map((b) => ({
        uri: `skybook://bookings/${b.booking_id}`,
        name: `booking ${b.booking_id}`,
        description: `Booking ${b.booking_id} (${b.status})`,
        mimeType: JSON_TYPE,
      })),
    };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const { uri } = req.params;
    const match = /^skybook:\/\/(bookings|flights)\/([1-9]\d{0,15})$/.exec(uri);
    const read = match ? READS[match[1] as string] : undefined;
    // An id past 2^53 - 1 names nothing (every id is at most that): not found, as a longer one is,
    // rather than the route's validation_error about a field `id` the reader never gave.
    if (!match || !read || !Number.isSafeInteger(Number(match[2])))
      throw new McpError(RESOURCE_NOT_FOUND, `No resource at ${uri}.`, { uri });
    const answer = await get(read.service, { method: "GET", path: read.path(match[2] as string) });
    if (answer.status !== 200) throw apiError(answer);
    return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(answer.body) }] };
  });
}
