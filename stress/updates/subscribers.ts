import WebSocket from "ws";

/** One WebSocket subscriber of the scenario and what it has received. */
export interface Subscriber {
  userId: number;
  flights: number[];
  received: string[];
  /** ms from an event's append (its id's time) to its arrival here. */
  latencies: number[];
  acks: number;
  closed: boolean;
  socket: WebSocket;
}

/** Connects a subscriber to `url`'s /api/updates and subscribes it to `flights`; resolves once every subscription is acknowledged. */
export async function connectSubscriber(
  url: string,
  token: string,
  userId: number,
  flights: number[],
): Promise<Subscriber> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/updates`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const s: Subscriber = { userId, flights, received: [], latencies: [], acks: 0, closed: false, socket };
  let acked: () => void = () => {};
  const allAcked = new Promise<void>((resolve) => {
    acked = resolve;
  });
  socket.on("message", (data) => {
    const m = JSON.parse(data.toString()) as { type: string; event_id?: string };
    if (m.type === "update" && m.event_id) {
      s.received.push(m.event_id);
      s.latencies.push(Date.now() - Number(m.event_id.split("-")[0]));
    }
    if (m.type === "subscribed" && ++s.acks === flights.length) acked();
  });
  socket.on("close", () => {
    s.closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  for (const f of flights) socket.send(JSON.stringify({ type: "subscribe", flight_id: f }));
  await allAcked;
  return s;
}
