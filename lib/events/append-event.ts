import { readFileSync } from "node:fs";
import { appendedKey, EVENTS_STREAM } from "../../contracts/events/stream.js";
import { luaScript } from "../lua-script.js";
import { projectPath } from "../paths.js";
import type { RedisClient } from "../redis-plugin.js";

// By hash: the script's text was sent with every booking's notice.
const appendEvent = luaScript(readFileSync(projectPath("lua", "append-event.lua"), "utf8"));

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
      return String(await appendEvent(redis, 2, ...args));
    },
  };
}
