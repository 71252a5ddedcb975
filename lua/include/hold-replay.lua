--[[
  A hold id that has a record already: the answer a repeated hold gets (lua/hold.lua, and
  lua/record-place.lua leg by leg), or nil when the id is new. Reads ARGV as both take it:
  ARGV[2] seats, ARGV[4] now (ms), ARGV[6] the legs "id,id,...".

  {1, expires_at, state}  this id holds them already
  {-4}  released (or a release mark without legs, lua/release-unknown.lua)
  {-5}  expired (or past its expiry)   {-7} cancelled   {-9} other legs or seats
  {-12} leg by leg only: another call is placing this id right now
]]
local function holdReplay(rec)
  local old = redis.call("HMGET", rec, "legs", "seats", "state", "expires_at", "target")
  if not old[3] then
    return nil
  end
  if not old[1] then
    -- A mark without legs: the caller released this id before the hold landed.
    return {-4}
  end
  if old[1] ~= ARGV[6] or tonumber(old[2]) ~= tonumber(ARGV[2]) then
    return {-9}
  end
  local state, expires = old[3], tonumber(old[4])
  if state == "placing" then return {-12} end
  if state == "releasing" then
    if old[5] == "expired" then return {-5} end
    return {-4}
  end
  if state == "released" then return {-4} end
  if state == "expired" or (state == "held" and expires <= tonumber(ARGV[4])) then return {-5} end
  if state == "cancelling" or state == "cancelled" then return {-7} end
  return {1, expires, state}
end
