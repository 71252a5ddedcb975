--[[
  What initialising one flight's seat counter needs, or the counter itself when it exists.

  KEYS[1] inv:{f:ID}:available  the counter
  KEYS[2] inv:{f:ID}:epoch      bumped by every step that follows a PostgreSQL commit
  KEYS[3] inv:{f:ID}:holds      hash op id -> seats subtracted from the counter, not known booked
  KEYS[4] inv:{f:ID}:returns    hash op id -> seats PostgreSQL may have given back, counter not yet

  Returns {0, available}                          the counter exists
          {-1, epoch, {hold ids}, {return ids}}   it is missing: read PostgreSQL, then init-counter
]]
local available = redis.call("GET", KEYS[1])
if available then
  return {0, tonumber(available)}
end
local epoch = tonumber(redis.call("GET", KEYS[2]) or "0")
return {-1, epoch, redis.call("HKEYS", KEYS[3]), redis.call("HKEYS", KEYS[4])}
