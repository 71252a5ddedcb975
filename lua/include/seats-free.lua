--[[
  Whether every leg (lua/include/leg-keys.lua) has `seats` seats free: nil when it has, else
  the answer a taking script gives: {-1, i} leg i has no counter (initialise it, then call
  again), {-2, i, available} leg i has fewer seats free.
]]
local function shortLeg(seats)
  for i = 1, legCount do
    local available = redis.call("GET", leg(i).available)
    if not available then
      return {-1, i}
    end
    if tonumber(available) < seats then
      return {-2, i, tonumber(available)}
    end
  end
  return nil
end
