--[[
  Moves a flight's counter by a change of total_seats (PATCH), never below zero.

  KEYS[1] inv:{f:ID}:available
  ARGV[1] delta (new total - old total)

  Returns {0, available}   applied
          {-1}             the counter is missing: initialise it, then call again
          {-2, available}  more seats are held or booked than the new total allows
]]
local available = redis.call("GET", KEYS[1])
if not available then
  return {-1}
end
local value = tonumber(available) + tonumber(ARGV[1])
if value < 0 and tonumber(ARGV[1]) < 0 then
  return {-2, tonumber(available)}
end
redis.call("SET", KEYS[1], value)
return {0, value}
