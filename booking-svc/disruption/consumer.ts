import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import { EVENTS_STREAM, parseEntry, STREAM_GATHER_MS } from "../../contracts/events/stream.js";
import { blockingReader, type RedisClient } from "../../lib/redis-plugin.js";
import { within } from "../../lib/within.js";
import type { StreamGroupsRepo } from "../store/stream-groups-repo.js";
import type { DisruptionHandler } from "./handler.js";

export const DISRUPTION_GROUP = "booking-disruption";

type Entries = [string, string[]][];

const COUNT = 50;
const BLOCK_MS = 2_000;

/**
 * booking-svc's consumer group on the events stream: each flight event goes to one instance;
 * one it does not finish (it died, or bookings were still settling) stays pending and is taken
 * over (XAUTOCLAIM) once idle for `retryMs`, by whichever instance looks first. The handler is
 * safe to run twice on one event, so a takeover never cancels or refunds twice.
 */
export class DisruptionConsumer {
  readonly name = `booking-${process.pid}-${randomUUID().slice(0, 8)}`;
  private reader: RedisClient | null = null;
  private loop: Promise<void> | null = null;
  private stopped = true;
  private lastClaim = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly groups: StreamGroupsRepo,
    readonly handler: DisruptionHandler,
    private readonly retryMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * The group starts at the stream's end the first time any instance starts. Missing after that
   * (bookings_db remembers it was made), it was lost with Redis' data while no instance ran: it
   * starts at the beginning of what the stream holds now, the events appended since the loss.
   * The group is recorded before it is made, so a start cut off in between errs the same way.
   */
  async start(): Promise<void> {
    await this.ensureGroup((await this.groups.madeBefore(DISRUPTION_GROUP)) ? "0" : "$");
    this.stopped = false;
    this.reader = blockingReader(this.redis, BLOCK_MS);
    this.loop = this.run();
  }

  /**
   * Creates the group unless it exists, at `from`. A Redis that lost its data lost the group too:
   * made again at the end, it would pass over what was appended since the loss (a flight cancelled
   * then), so the group read goes on from the start of what the stream holds now.
   */
  async ensureGroup(from: "$" | "0" = "$"): Promise<void> {
    await this.redis.xgroup("CREATE", EVENTS_STREAM, DISRUPTION_GROUP, from, "MKSTREAM").catch((err: Error) => {
      if (!/BUSYGROUP/.test(err.message)) throw err;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader?.disconnect();
    // A read queued while the reader was reconnecting is never settled by disconnect() (ioredis):
    // shutdown waits for the loop no longer than one blocking read, then leaves it.
    if (this.loop) await within(this.loop, BLOCK_MS + 500, undefined);
  }

  /** One round: what was left to retry, then new events. How many were finished. */
  async pollOnce(blockMs = BLOCK_MS): Promise<number> {
    let done = 0;
    if (Date.now() - this.lastClaim >= this.retryMs / 2) {
      this.lastClaim = Date.now();
      const [, claimed] = (await this.redis.xautoclaim(
        EVENTS_STREAM,
        DISRUPTION_GROUP,
        this.name,
        this.retryMs,
        "0-0",
        "COUNT",
        COUNT,
      )) as [string, Entries];
      done += await this.handleAll(claimed);
    }
    const client = this.reader ?? this.redis;
    const read = (await client.xreadgroup(
      "GROUP",
      DISRUPTION_GROUP,
      this.name,
      "COUNT",
      COUNT,
      "BLOCK",
      blockMs,
      "STREAMS",
      EVENTS_STREAM,
      ">",
    )) as [string, Entries][] | null;
    done += await this.handleAll(read?.[0]?.[1] ?? []);
    return done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const done = await this.pollOnce();
        if (done > 0 && done < COUNT && !this.stopped) await sleep(STREAM_GATHER_MS);
      } catch (err) {
        if (this.stopped) return;
        this.log.warn({ err: (err as Error).message }, "flight events not read; retrying");
        await sleep(250);
        if (/NOGROUP/.test((err as Error).message)) await this.ensureGroup("0").catch(() => {});
      }
    }
  }

  /**
   * Acknowledges what it finished in one XACK for the read: the stream carries a notice per
   * booking, which this group only passes over. A crash before the XACK hands the read's events
   * out again, which handling makes nothing of a second time.
   */
  private async handleAll(entries: Entries): Promise<number> {
    const finished: string[] = [];
    for (const [id, fields] of entries) {
      const ev = parseEntry(id, fields);
      let ok = true;
      if (ev?.type === "flight") {
        ok = await this.handler.handle(id, ev.body).catch((err) => {
          this.log.warn({ err: (err as Error).message, event_id: id }, "flight event not handled; will retry");
          return false;
        });
      }
      if (ok) finished.push(id);
    }
    if (finished.length > 0) await this.redis.xack(EVENTS_STREAM, DISRUPTION_GROUP, ...finished);
    return finished.length;
  }
}
