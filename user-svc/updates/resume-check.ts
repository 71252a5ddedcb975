import { readFileSync } from "node:fs";
import { compareIds, EVENTS_STREAM } from "../../contracts/events/stream.js";
import { luaScript } from "../../lib/lua-script.js";
import { projectPath } from "../../lib/paths.js";
import type { RedisClient } from "../../lib/redis-plugin.js";

const streamEnds = luaScript(readFileSync(projectPath("lua", "stream-ends.lua"), "utf8"));

/** What a resume from an id is told before its replay, when events after the id are gone. */
export interface ResumeCheck {
  /** The stream's last entry; null when it has none. */
  last: string | null;
  /** The first entry the replay can send; null when the stream has none. */
  oldest: string | null;
  /** Events after the resume id were trimmed (or deleted) before the client came back. */
  missed: boolean;
}

/**
 * One script call (lua/stream-ends.lua) in place of the read of the stream's last entry a resume
 * made before, so a resume costs no more round trips than it did. Redis 7.0 counts only XDEL in
 * `max-deleted-entry-id`, not the trim of old entries: an id before the first entry kept, on a
 * stream that lost entries, is taken as having missed some. The only such id that missed none
 * lies between the last trimmed entry and the first kept one, which Redis no longer knows.
 */
export async function checkResume(redis: RedisClient, from: string): Promise<ResumeCheck> {
  const [first, last, lastGiven, removed, maxDeleted] = (await streamEnds(redis, 1, EVENTS_STREAM)) as [
    string,
    string,
    string,
    number,
    string,
  ];
  // A stream whose entries are all gone: those up to the last id it gave were removed.
  const keptFrom = first || lastGiven;
  const missed = compareIds(from, maxDeleted) < 0 || (removed > 0 && compareIds(from, keptFrom) < 0);
  return { last: last || null, oldest: first || null, missed };
}
