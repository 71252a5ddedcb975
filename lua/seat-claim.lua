--[[
  Claims seats on one flight's seat map for their passengers, all or none: a seat is free, or
  already its passenger's, or held by another passenger claimed here, who leaves it for the
  seat claimed for them (passengers of one booking trading seats). PostgreSQL decides after
  this (seat_assignments' primary key); the claim only refuses early and keeps the seat map
  current.

  KEYS[1] the flight's seat map (hash seat → "<booking ref>:<passenger>:<ms>")
  ARGV[1] now (ms), then pairs: seat, owner ("<booking ref>:<passenger>"), each owner once

  Returns {0}                 every seat claimed
          {-13, seat, value}  the seat is another passenger's (value as stored, with its claim time)
          {-14}               the map is not loaded: load it from PostgreSQL and call again
]]
-- @include seat-owner
local map = KEYS[1]
if redis.call("HEXISTS", map, "_") == 0 then return {-14} end
local claiming = {}
for i = 2, #ARGV, 2 do claiming[ARGV[i + 1]] = true end
for i = 2, #ARGV, 2 do
  local held = redis.call("HGET", map, ARGV[i])
  if held and not claiming[seatOwner(held)] then return {-13, ARGV[i], held} end
end
for i = 2, #ARGV, 2 do
  redis.call("HSET", map, ARGV[i], ARGV[i + 1] .. ":" .. ARGV[1])
end
return {0}
