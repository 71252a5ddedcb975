--[[
  Gives back the seats `id` has in one leg's hash (`holds` or `returns`), exactly once: the
  entry goes with them. A missing counter stays missing: it will be initialised from
  PostgreSQL without them. Returns false when the hash no longer has the id.
]]
local function giveSeatsBack(counter, hash, id)
  local seats = redis.call("HGET", hash, id)
  if not seats then
    return false
  end
  redis.call("HDEL", hash, id)
  if redis.call("EXISTS", counter) == 1 then
    redis.call("INCRBY", counter, seats)
  end
  return true
end
