-- Appends one event to the events stream at most once per dedupe key: the relay and the
-- disruption consumer may retry an append after a crash, and a retry must not add it twice.
-- KEYS[1] the stream, KEYS[2] the dedupe key (same hash tag, so one slot in a Cluster).
-- ARGV[1] the oldest id kept (MINID, approximate trim), ARGV[2] the dedupe key's TTL in seconds,
-- ARGV[3..] field, value pairs. Returns the entry's id, the first append's on a retry.
local done = redis.call('GET', KEYS[2])
if done then return done end
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', unpack(ARGV, 3))
redis.call('SET', KEYS[2], id, 'EX', tonumber(ARGV[2]))
return id
