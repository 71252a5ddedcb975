--[[
  A seat map's value is "<booking id>:<passenger>:<claimed at, ms>"; its owner is the first two
  parts. The field "_" marks a map loaded from PostgreSQL (lua/seat-load.lua).
]]
local function seatOwner(value)
  return string.match(value, "^(%d+:%d+):")
end
