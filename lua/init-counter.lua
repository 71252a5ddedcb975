--[[
  Sets a missing seat counter from a PostgreSQL snapshot, only if nothing that follows a
  PostgreSQL commit ran on this flight since init-probe read the epoch.

  KEYS[1..5] as init-probe: available, epoch, holds, returns, initing of one flight
  ARGV[1]    the epoch init-probe returned
  ARGV[2]    total_seats - booked_seats in the snapshot
  ARGV[3]    n, how many hold ids follow
  ARGV[4 .. 3+n]  ids in `holds` whose seats the snapshot already counts as booked
  ARGV[4+n ..]    ids in `returns` whose seats the snapshot already counts as given back

  Those ids are dropped from `holds` / `returns` (the snapshot did their work); the counter is
  the snapshot's free seats minus every hold left, and the lock goes. A counter set meanwhile by
  someone else wins.

  Returns {0, available}  set now or already there
          {-8, epoch}     the epoch moved: the snapshot may be stale, start again
]]
local available = redis.call("GET", KEYS[1])
if available then
  return {0, tonumber(available)}
end
local epoch = tonumber(redis.call("GET", KEYS[2]) or "0")
if epoch ~= tonumber(ARGV[1]) then
  return {-8, epoch}
end
local n = tonumber(ARGV[3])
for i = 4, 3 + n do
  redis.call("HDEL", KEYS[3], ARGV[i])
end
for i = 4 + n, #ARGV do
  redis.call("HDEL", KEYS[4], ARGV[i])
end
local held = 0
for _, seats in ipairs(redis.call("HVALS", KEYS[3])) do
  held = held + tonumber(seats)
end
local value = tonumber(ARGV[2]) - held
redis.call("SET", KEYS[1], value)
redis.call("DEL", KEYS[5])
return {0, value}
