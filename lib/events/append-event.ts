import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendedKey, EVENTS_STREAM } from "../../contracts/events/stream.js";
import { projectPath } from "../paths.js";
import type { RedisClient } from "../redis-plugin.js";

const SCRIPT = readFileSync(projectPath("lua", "append-event.lua"), "utf8");
const SHA = createHash("sha1").update(SCRIPT).digest("hex");

export interface EventAppender {
  /** Appends `body` as a `type` entry once per dedupeId; the entry's id (the first one's on a retry). */
  append(dedupeId: string, type: "flight" | "notice", body: unknown): Promise<string>;
}

/**
 * Appends to the events stream with lua/append-event.lua, trimming entries older than the
 * retention. A dedupe marker outlives the entries it guards, so a late retry still finds it.
 */
export function eventAppender(redis: RedisClient, retentionHours: number): EventAppender {
  const retentionMs = retentionHours * 3_600_000;
  const markerSeconds = Math.ceil((2 * retentionMs) / 1000);
  return {
    async append(dedupeId, type, body) {
      const minId = `${Math.max(0, Date.now() - retentionMs)}-0`;
      const args = [
        EVENTS_STREAM,
        appendedKey(dedupeId),
        minId,
        markerSeconds,
        "type",
        type,
        "body",
        JSON.stringify(body),
      ];
      // By hash: the script's text was sent with every booking's notice. A Redis that does not
      // know it yet (restarted, or another node of a Cluster) is sent it once.
      const id = await redis.evalsha(SHA, 2, ...args).catch((err: Error) => {
        if (!err.message.startsWith("NOSCRIPT")) throw err;
        return redis.eval(SCRIPT, 2, ...args);
      });
      return String(id);
    },
  };
}
