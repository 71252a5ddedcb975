--[[
  The keys of a multi-leg script, in the order flight-svc/inventory/key-layout.ts builds them:
  KEYS[1] inv:hold:ID (the operation's record)   KEYS[2] inv:holds:expiries
  then per leg i = 1..legCount the flight's five keys, as init-probe takes them:
  inv:{f:LEG}:available, :epoch, :holds, :returns, :initing
]]
local LEG_KEY_COUNT = 5
local legCount = (#KEYS - 2) / LEG_KEY_COUNT

local function leg(i)
  local b = 2 + (i - 1) * LEG_KEY_COUNT
  return {available = KEYS[b + 1], epoch = KEYS[b + 2], holds = KEYS[b + 3], returns = KEYS[b + 4],
    initing = KEYS[b + 5]}
end
