--[[
  The keys of a per-leg script (the cluster's protocol, flight-svc/inventory/per-leg-steps.ts):
  one flight's five keys, in the order init-probe takes them, all in the flight's slot {f:ID}.
  A leg whose counter is missing while its initialisation lock lives is being initialised: a
  step that follows a PostgreSQL commit waits for it (answers -12), as leg-initialising.lua says.
]]
local available, epoch, holds, returns, initing = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local function initialising()
  return redis.call("EXISTS", available) == 0 and redis.call("EXISTS", initing) == 1
end
