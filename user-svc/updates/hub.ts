import { setTimeout as sleep, setImmediate as yieldToIo } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import {
  compareIds,
  EVENTS_STREAM,
  parseEntry,
  STREAM_GATHER_MS,
  type StreamEvent,
} from "../../contracts/events/stream.js";
import { blockingReader, type RedisClient } from "../../lib/redis-plugin.js";
import { within } from "../../lib/within.js";
import type { TransportKind, UpdatesClient } from "./client.js";
import { eventsMissed } from "./messages.js";
import { checkResume } from "./resume-check.js";
import { concernedBy, type EndedSubscription, type Follower, type SubscriptionsRepo } from "./subscriptions-repo.js";

type Entries = [string, string[]][];

const READ_COUNT = 500;
const BLOCK_MS = 2_000;
const RETRY_MS = 250;
// Clients sent one event between two turns of the event loop.
export const FANOUT_CHUNK = 256;

/**
 * This instance's side of the push: every instance reads the whole events stream (no consumer
 * group: each must see every event, for its own connections) and hands each event to the
 * connected clients it concerns, one event at a time so each client's order is the stream's.
 * Who a flight's event concerns is read from users_db per run of flight events (those between two
 * notices in one read), so a subscription made on any instance counts from the next run. A booking's confirmation notice subscribes its traveller to its
 * flights before any later event is handled, for the events after the notice only: an instance
 * ahead of this one may have written it before this one handles an earlier event of the flight.
 */
export class UpdatesHub {
  private readonly clients = new Map<number, Set<UpdatesClient>>();
  private reader: RedisClient | null = null;
  private loop: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly redis: RedisClient,
    private readonly repo: SubscriptionsRepo,
    private readonly log: FastifyBaseLogger,
  ) {}

  connectionsOf(userId: number): number {
    return this.clients.get(userId)?.size ?? 0;
  }

  get connections(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  /** This process's open connections by transport, each named even when none is open. */
  connectionsByKind(): Record<TransportKind, number> {
    const n: Record<TransportKind, number> = { sse: 0, websocket: 0 };
    for (const set of this.clients.values()) for (const client of set) n[client.kind]++;
    return n;
  }

  /** Registers the client, sends what it missed since its cursor, then lets live events through. */
  async connect(client: UpdatesClient): Promise<void> {
    const set = this.clients.get(client.userId) ?? new Set<UpdatesClient>();
    this.clients.set(client.userId, set);
    set.add(client);
    if (client.cursor !== null) await this.replay(client, client.cursor);
    client.endReplay();
  }

  disconnect(client: UpdatesClient): void {
    client.gone();
    const set = this.clients.get(client.userId);
    set?.delete(client);
    if (set?.size === 0) this.clients.delete(client.userId);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.reader = blockingReader(this.redis, BLOCK_MS);
    const [last] = (await this.redis.xrevrange(EVENTS_STREAM, "+", "-", "COUNT", 1)) as Entries;
    this.loop = this.run(last?.[0] ?? "0-0");
  }

  /** Ends every connection (SSE ones would keep the server open) and the stream reader. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const set of this.clients.values()) for (const c of set) c.close("server shutting down");
    this.clients.clear();
    this.reader?.disconnect();
    // A read queued while the reader was reconnecting is never settled by disconnect() (ioredis):
    // shutdown waits for the loop no longer than one blocking read, then leaves it.
    if (this.loop) await within(this.loop, BLOCK_MS + 500, undefined);
  }

  private async run(from: string): Promise<void> {
    let last = from;
    const reader = this.reader as RedisClient;
    while (!this.stopped) {
      let read: [string, Entries][] | null;
      try {
        read = (await reader.xread("COUNT", READ_COUNT, "BLOCK", BLOCK_MS, "STREAMS", EVENTS_STREAM, last)) as
          | [string, Entries][]
          | null;
      } catch (err) {
        if (this.stopped) return;
        this.log.warn({ err: (err as Error).message }, "events stream not read; retrying");
        await sleep(RETRY_MS);
        continue;
      }
      const entries = read?.[0]?.[1] ?? [];
      const events: StreamEvent[] = [];
      for (const [id, fields] of entries) {
        const ev = parseEntry(id, fields);
        if (ev) events.push(ev);
      }
      last = entries.at(-1)?.[0] ?? last;
      for (let i = 0; i < events.length && !this.stopped; ) {
        const run = noticeRun(events, i);
        if (run.length > 0) {
          // Consecutive notices (one per booking under load) subscribe their travellers in one
          // statement; no flight event lies between them, so none is handled before its subscription.
          // Sockets flush and clients' messages are read between events, not after a whole batch.
          await this.untilDone(run[0] as StreamEvent, () => this.subscribe(run));
          for (const ev of run) {
            this.offer(ev);
            await yieldToIo();
          }
          i += run.length;
        } else {
          // Consecutive flight events share one users_db statement: read one by one, a burst of
          // changes (10,000 of them) cost as many round trips, one after another, and every
          // client waited behind them (15 s measured, docs/updates.md, At scale).
          const flights = flightRun(events, i);
          const followers = await this.untilDone(flights[0] as FlightEvent, () => this.followersOf(flights));
          for (const ev of flights) {
            if (this.stopped) break;
            await this.dispatchFlight(ev, followers?.get(ev.body.flight_id) ?? []);
            await yieldToIo();
          }
          i += flights.length;
        }
      }
      if (entries.length > 0 && entries.length < READ_COUNT && !this.stopped) await sleep(STREAM_GATHER_MS);
    }
  }

  // A users_db hiccup delays the events behind it rather than losing them.
  private async untilDone<T>(ev: StreamEvent, work: () => Promise<T>): Promise<T | undefined> {
    while (!this.stopped) {
      try {
        return await work();
      } catch (err) {
        this.log.warn({ err: (err as Error).message, event_id: ev.id }, "event not dispatched; retrying");
        await sleep(RETRY_MS);
      }
    }
    return undefined;
  }

  private subscribe(run: NoticeEvent[]): Promise<void> {
    const held = run.filter((ev) => ev.body.kind === "booking_confirmed" || ev.body.kind === "booking_cancelled");
    return this.repo.followBookings(
      held.map((ev) => ({
        userId: ev.body.user_id,
        bookingId: ev.body.booking_id,
        bookingRef: ev.body.booking_ref ?? String(ev.body.booking_id),
        flightIds: ev.body.kind === "booking_confirmed" ? ev.body.flight_ids : [],
        eventId: ev.id,
      })),
    );
  }

  private offer(ev: NoticeEvent): void {
    for (const c of this.clients.get(ev.body.user_id) ?? []) c.offer(ev);
  }

  private async followersOf(run: FlightEvent[]): Promise<Map<number, Follower[]>> {
    if (this.clients.size === 0) return new Map();
    const flightIds = [...new Set(run.map((ev) => ev.body.flight_id))];
    return this.repo.followersOf(flightIds, (run[0] as FlightEvent).id);
  }

  private async dispatchFlight(ev: FlightEvent, followers: Follower[]): Promise<void> {
    let sent = 0;
    for (const userId of concernedBy(ev.id, followers)) {
      for (const c of this.clients.get(userId) ?? []) {
        c.offer(ev);
        // Each send is a socket write: one event to 2,000 clients held the event loop 120–200 ms
        // (docs/updates.md, At scale), /health and every other request waiting behind it.
        if (++sent % FANOUT_CHUNK === 0) await yieldToIo();
      }
    }
  }

  private async replay(client: UpdatesClient, from: string): Promise<void> {
    const { last, oldest, missed } = await checkResume(this.redis, from);
    // Told before the replay, which starts at the oldest event kept: a client away longer than
    // the retention would otherwise take the replay for all it missed (a cancellation among the
    // trimmed events) and never reload its flights.
    if (missed) client.reply(eventsMissed(from, oldest));
    // An id past the stream's end was never given out (the stream was lost, or the client made it
    // up). Kept, it would hold back every event to come, each older than it: the client starts
    // from the end instead, with the live events, as one that gave no id.
    if (last === null || compareIds(from, last) > 0) {
      client.cursor = null;
      return;
    }
    // As live (subscribersOf): a booking's subscription counts after the notice that made it and,
    // once a later notice took the flight away, until that notice; a booking changed or cancelled
    // since `from` has its flights' events from before that notice sent, as they were live.
    const [flights, ended] = await Promise.all([
      this.repo.flightsOf(client.userId),
      this.repo.endedAfter(client.userId, from),
    ]);
    const endedOf = new Map<number, EndedSubscription[]>();
    for (const e of ended) {
      const list = endedOf.get(e.flightId) ?? [];
      list.push(e);
      endedOf.set(e.flightId, list);
    }
    const subscribed = (flightId: number, id: string) => {
      const since = flights.get(flightId);
      if (since === null || (since !== undefined && compareIds(since, id) < 0)) return true;
      return (endedOf.get(flightId) ?? []).some(
        (e) => (e.from === null || compareIds(e.from, id) < 0) && compareIds(id, e.until) < 0,
      );
    };
    // The replay reads to the stream's end, past the notices users_db has applied so far: each
    // booking's flights as its last notice read here gives them (none once cancelled) count too.
    const held = new Map<string, number[]>();
    const holders = new Map<number, number>();
    const hold = (ref: string, flightIds: number[]) => {
      for (const f of held.get(ref) ?? []) holders.set(f, (holders.get(f) ?? 1) - 1);
      for (const f of flightIds) holders.set(f, (holders.get(f) ?? 0) + 1);
      held.set(ref, flightIds);
    };
    let start = `(${from}`;
    for (;;) {
      const page = (await this.redis.xrange(EVENTS_STREAM, start, "+", "COUNT", READ_COUNT)) as Entries;
      for (const [id, fields] of page) {
        const ev = parseEntry(id, fields);
        if (!ev || !client.isOpen) continue;
        if (ev.type === "flight") {
          if (subscribed(ev.body.flight_id, ev.id) || (holders.get(ev.body.flight_id) ?? 0) > 0) client.replayed(ev);
          continue;
        }
        if (ev.body.user_id !== client.userId) continue;
        client.replayed(ev);
        if (ev.body.kind === "booking_confirmed" || ev.body.kind === "booking_cancelled") {
          hold(
            ev.body.booking_ref ?? String(ev.body.booking_id),
            ev.body.kind === "booking_confirmed" ? ev.body.flight_ids : [],
          );
        }
      }
      const lastId = page.at(-1)?.[0];
      // A client gone mid-way (a reconnect, a closed tab) would otherwise have the rest of the
      // stream read for nobody, up to a day of it for a resume from an old id.
      if (page.length < READ_COUNT || lastId === undefined || !client.isOpen) return;
      start = `(${lastId}`;
    }
  }
}

type NoticeEvent = Extract<StreamEvent, { type: "notice" }>;
type FlightEvent = Extract<StreamEvent, { type: "flight" }>;

/** The events of `type` from `start` up to the next of the other type. */
function runOf<T extends StreamEvent["type"]>(
  events: StreamEvent[],
  start: number,
  type: T,
): Extract<StreamEvent, { type: T }>[] {
  const run: Extract<StreamEvent, { type: T }>[] = [];
  for (let i = start; i < events.length; i++) {
    const ev = events[i] as StreamEvent;
    if (ev.type !== type) break;
    run.push(ev as Extract<StreamEvent, { type: T }>);
  }
  return run;
}

const noticeRun = (events: StreamEvent[], start: number) => runOf(events, start, "notice");
const flightRun = (events: StreamEvent[], start: number) => runOf(events, start, "flight");
