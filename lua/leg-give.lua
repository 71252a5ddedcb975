--[[
  One leg of a release: gives back the seats the id has in this flight's `holds` (or
  `returns`) hash, exactly once (lua/include/give-seats-back.lua).

  KEYS[1] inv:{f:ID}:available   KEYS[2] inv:{f:ID}:holds (or :returns)
  ARGV[1] id

  Returns {1} given back now, {0} the hash no longer had the id
]]
-- @include give-seats-back
if giveSeatsBack(KEYS[1], KEYS[2], ARGV[1]) then
  return {1}
end
return {0}
