-- @include leg-keys
--[[
  A leg whose counter is missing while its initialisation lock lives is being initialised from
  PostgreSQL (init-probe, init-counter). A step that follows a PostgreSQL commit waits for it
  (the caller hears -12 and calls again), so a flight with many such steps cannot keep its
  initialisation retrying forever.
]]
local function aLegIsInitialising()
  for i = 1, legCount do
    local k = leg(i)
    if redis.call("EXISTS", k.available) == 0 and redis.call("EXISTS", k.initing) == 1 then
      return true
    end
  end
  return false
end
