--[[
  One leg of a hold that PostgreSQL booked although its record ended otherwise (the ledger
  prevents this; lua/confirm-finish.lua): the counter cannot be trusted, so it is dropped and
  initialised again from PostgreSQL.

  KEYS    lua/include/flight-keys.lua
  ARGV[1] hold id

  Returns {0}
]]
-- @include flight-keys
redis.call("HDEL", holds, ARGV[1])
redis.call("DEL", available)
redis.call("INCR", epoch)
return {0}
