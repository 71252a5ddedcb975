--[[
  One flight's inventory state at one instant, for reconcile.

  KEYS[1..4] inv:{f:ID}:available, :epoch, :holds, :returns

  Returns {0, has_counter (0|1), counter, epoch, {hold id, seats, ...}, {return id, seats, ...}}
]]
local available = redis.call("GET", KEYS[1])
local epoch = tonumber(redis.call("GET", KEYS[2]) or "0")
return {0, available and 1 or 0, tonumber(available or "0"), epoch,
  redis.call("HGETALL", KEYS[3]), redis.call("HGETALL", KEYS[4])}
