import { Type } from "@sinclair/typebox";
import { Id, IdOf } from "../../lib/input-schemas.js";

const StreamId = Type.String({ pattern: "^\\d{1,15}-\\d{1,15}$", maxLength: 31 });

export const UpdatesQuery = Type.Object(
  {
    /** The last event id received: what came after it is sent first. */
    resume_from: Type.Optional({
      ...StreamId,
      description: "Optional: the last event id received (<ms>-<seq>); every event after it is sent first",
    }),
    /** For browsers, whose WebSocket and EventSource cannot send an Authorization header. */
    access_token: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: "Optional: the access token, where an Authorization header cannot be sent (browsers)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const UpdatesHeaders = Type.Object({
  authorization: Type.Optional(Type.String()),
  "last-event-id": Type.Optional({
    ...StreamId,
    description: "Optional, as resume_from (which wins): the last event id received, as EventSource resends it",
  }),
  "sec-websocket-protocol": Type.Optional(
    Type.String({
      description:
        "WebSocket subprotocols: skybook.updates, and bearer.<access token> where no Authorization header can be sent",
    }),
  ),
});

export const SubscriptionBody = Type.Object(
  { flight_id: IdOf("The flight to get live updates about (delays, gate changes)") },
  { additionalProperties: false },
);
export const SubscriptionParams = Type.Object(
  { flight_id: IdOf("The subscribed flight, as list_subscriptions (GET /api/subscriptions) shows it") },
  { additionalProperties: false },
);

export const SubscriptionView = Type.Object({
  flight_id: Id,
  source: Type.Union([Type.Literal("user"), Type.Literal("booking")]),
  created_at: Type.String({ format: "date-time" }),
});
export const SubscriptionList = Type.Object({ subscriptions: Type.Array(SubscriptionView) });

/** What OpenAPI shows of the push: the stream itself is described in docs/updates.md. */
export const UpdatesStream = Type.String({
  description:
    "Server-Sent Events (text/event-stream): `update` and `notice` events, each with its event id, and " +
    "`events_missed` (no id) before the replay of a resume whose following events were trimmed. " +
    "With WebSocket upgrade headers, 101 Switching Protocols and the same messages as JSON frames.",
});
