import t from "tap";
import { crc16, hashTag, keySlot } from "../../lib/redis-slot.js";

t.test("CRC16/XMODEM of the check string, as the Redis Cluster spec gives it", async (t) => {
  t.equal(crc16(Buffer.from("123456789")), 0x31c3);
});

t.test("slots of keys the Redis documentation lists", async (t) => {
  t.equal(keySlot("foo"), 12182);
  t.equal(keySlot("bar"), 5061);
  t.equal(keySlot("{user1000}.following"), keySlot("{user1000}.followers"));
  t.equal(keySlot("{user1000}.following"), keySlot("user1000"));
});

t.test("only the first non-empty {...} is the hash tag", async (t) => {
  t.equal(hashTag("foo{{bar}}zap"), "{bar");
  t.equal(hashTag("foo{bar}{zap}"), "bar");
  t.equal(hashTag("foo{}{bar}"), "foo{}{bar}", "an empty first tag: the whole key");
  t.equal(hashTag("inv:{f:42}:available"), "f:42");
});
