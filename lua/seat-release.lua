--[[
  After a booking's seats on a flight were given back (a cancel, the old legs of a change): its
  passengers at or above the seats it still has confirmed there lose their seats, as
  PostgreSQL's seat_assignments already did in the same transaction as the return.

  KEYS[1] the flight's seat map
  ARGV[1] booking ref   ARGV[2] passengers kept (0: every seat of the booking goes)

  Returns {0, seats freed}
]]
local map, booking, keep = KEYS[1], ARGV[1], tonumber(ARGV[2])
local flat, n = redis.call("HGETALL", map), 0
for i = 1, #flat, 2 do
  local b, p = string.match(flat[i + 1], "^([%w%-]+):(%d+):")
  if b == booking and tonumber(p) >= keep then
    redis.call("HDEL", map, flat[i])
    n = n + 1
  end
end
return {0, n}
