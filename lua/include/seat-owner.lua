--[[
  A seat map's value is "<booking ref>:<passenger>:<claimed at, ms>" (a ref is "<id>" or
  "<id>-<hold nonce>", contracts/flight-svc/booking-ref.ts); its owner is the first two parts. The field "_" marks a map loaded from PostgreSQL (lua/seat-load.lua).
]]
local function seatOwner(value)
  return string.match(value, "^([%w%-]+:%d+):")
end
