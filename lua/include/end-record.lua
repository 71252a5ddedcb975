--[[
  Ends the operation's record (KEYS[1], id ARGV[1]) in `state`: it stays answerable for
  `keepMs` so that a repeated call gets the same answer, and the sweeper forgets the id
  (KEYS[2]).
]]
local function endRecord(state, now, keepMs)
  redis.call("HSET", KEYS[1], "state", state, "ended_at", now)
  redis.call("PEXPIRE", KEYS[1], keepMs)
  redis.call("ZREM", KEYS[2], ARGV[1])
end
