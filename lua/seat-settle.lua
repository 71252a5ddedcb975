--[[
  Makes a flight's seat map show what a check-in just wrote to PostgreSQL: each passenger named
  sits in their seat and in no other. Called inside the PostgreSQL transaction, after its writes
  and under its per-flight lock, so the map follows PostgreSQL in commit order: a passenger's
  earlier seat, or a seat a concurrent request of theirs claimed, goes here.

  KEYS[1] the flight's seat map
  ARGV[1] now (ms), then pairs: owner ("<booking ref>:<passenger>"), seat

  Returns {0}  (nothing is written to a map not loaded yet: it is loaded from PostgreSQL later)
]]
-- @include seat-owner
local map = KEYS[1]
if redis.call("HEXISTS", map, "_") == 0 then return {0} end
local keep = {}
for i = 2, #ARGV, 2 do keep[ARGV[i]] = ARGV[i + 1] end
local flat = redis.call("HGETALL", map)
for i = 1, #flat, 2 do
  local o = seatOwner(flat[i + 1])
  if o and keep[o] and keep[o] ~= flat[i] then redis.call("HDEL", map, flat[i]) end
end
for o, seat in pairs(keep) do
  local held = redis.call("HGET", map, seat)
  if not held or seatOwner(held) ~= o then redis.call("HSET", map, seat, o .. ":" .. ARGV[1]) end
end
return {0}
