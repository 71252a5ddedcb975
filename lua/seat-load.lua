--[[
  Loads a flight's seat map from PostgreSQL's assignments. Claims made meanwhile stay (HSETNX):
  PostgreSQL refuses any that conflict when they reach it.

  KEYS[1] the flight's seat map
  ARGV    pairs: seat, value ("<booking ref>:<passenger>:<ms>")

  Returns {0}
]]
local map = KEYS[1]
for i = 1, #ARGV, 2 do
  redis.call("HSETNX", map, ARGV[i], ARGV[i + 1])
end
redis.call("HSET", map, "_", "1")
return {0}
