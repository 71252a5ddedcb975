--[[
  Gives seats back on one flight's seat map, each only while it is still the given passenger's
  (a seat someone else claimed since stays theirs).

  KEYS[1] the flight's seat map
  ARGV    pairs: seat, owner ("<booking ref>:<passenger>"); or seat, the exact value stored (a stale claim)

  Returns {0, seats given back}
]]
-- @include seat-owner
local map, n = KEYS[1], 0
for i = 1, #ARGV, 2 do
  local held = redis.call("HGET", map, ARGV[i])
  if held and (held == ARGV[i + 1] or seatOwner(held) == ARGV[i + 1]) then
    redis.call("HDEL", map, ARGV[i])
    n = n + 1
  end
end
return {0, n}
