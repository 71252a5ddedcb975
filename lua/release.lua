--[[
  Ends a hold that never reached PostgreSQL and gives its seats back, exactly once: only the
  call that flips the state returns seats (several sweepers and clients may race).

  KEYS    lua/include/leg-keys.lua (per leg: available and holds are used)
  ARGV[1] hold id   ARGV[3] now (ms)
  ARGV[2] new state: released | expired; or confirmed | cancelled when the ledger shows an
          earlier hold under the same id settled it (this hold booked nothing)
  ARGV[4] how long the ended hold stays answerable (ms)
  ARGV[5] the state it must be in: "held", or "confirming" once the ledger ruled it never booked

  A leg's seats go back only if the hold is still in that leg's hash (after a Redis loss the
  re-initialised counter never subtracted them) and the counter exists (a missing one will be
  initialised without this hold).

  Returns {0}          ended now, seats given back
          {-3}         no such hold
          {-10, state} it is in another state (nothing changed)
          {-11}        new state "expired" but the hold's expiry is still ahead
]]
-- @include leg-keys
-- @include give-seats-back
-- @include end-record
local rec, id = KEYS[1], ARGV[1]
local h = redis.call("HMGET", rec, "state", "expires_at")
local state = h[1]
if not state then
  return {-3}
end
if state ~= ARGV[5] then
  return {-10, state}
end
if ARGV[2] == "expired" and state == "held" and tonumber(h[2]) > tonumber(ARGV[3]) then
  return {-11}
end
for i = 1, legCount do
  local k = leg(i)
  giveSeatsBack(k.available, k.holds, id)
end
endRecord(ARGV[2], ARGV[3], ARGV[4])
return {0}
