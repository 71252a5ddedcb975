-- What a resume needs to know of the events stream (user-svc/updates/resume-check.ts), in one
-- round trip to the stream's node: XINFO STREAM names no key ioredis' Cluster client can route by.
-- KEYS[1] the stream. Returns its first and last entry ids ('' when it has none), the last id it
-- gave, how many entries it has lost (trimmed or deleted), and the greatest id deleted (XDEL).
-- A stream that does not exist has nothing: {'', '', '0-0', 0, '0-0'}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'', '', '0-0', 0, '0-0'} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local f = {}
for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
local function idOf(entry) return entry and entry[1] or '' end
-- Redis before 7.0 counts neither (no entries-added, no max-deleted-entry-id): the stream is
-- taken as having lost entries, so an id before its first entry is told it may have missed some.
local added = f['entries-added']
return {
  idOf(f['first-entry']),
  idOf(f['last-entry']),
  f['last-generated-id'],
  added and (added - f['length']) or 1,
  f['max-deleted-entry-id'] or '0-0',
}
