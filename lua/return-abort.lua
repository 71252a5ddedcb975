--[[
  Undoes return-begin when PostgreSQL did not return the seats (an increment refused, or the
  ledger ruled that the operation never happened): the legs forget the pending return and
  the counters stay as they are.

  KEYS    lua/include/leg-keys.lua (per leg: returns is used)
  ARGV[1] id   ARGV[2] state to record: confirmed (a cancel that did not happen) | released
  ARGV[3] now (ms)   ARGV[4] how long the record stays answerable (ms)

  Returns {0}
]]
-- @include leg-keys
-- @include end-record
local rec, id = KEYS[1], ARGV[1]
for i = 1, legCount do
  redis.call("HDEL", leg(i).returns, id)
end
if redis.call("HGET", rec, "state") == "cancelling" then
  endRecord(ARGV[2], ARGV[3], ARGV[4])
else
  redis.call("ZREM", KEYS[2], id)
end
return {0}
