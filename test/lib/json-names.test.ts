import t from "tap";
import { repeatedName } from "../../lib/json-names.js";

t.test("a name given twice in one object is found, however it is written and wherever the object is", async (t) => {
  t.equal(repeatedName('{"a":1,"a":2}'), "a");
  t.equal(repeatedName('{"a":1,"\\u0061":2}'), "a", "compared decoded");
  t.equal(repeatedName('{"x":[{"b":1},{"c":{"d":1,"d":2}}]}'), "d", "in an object inside an array");
  t.equal(repeatedName('{"s":"\\"a\\":1,","a":1,"t":{"a":2}}'), null, "names in strings and in other objects");
  t.equal(repeatedName('[{"a":1},{"a":1}]'), null, "one per object");
  t.equal(repeatedName('{"k":["a","a"],"a":{}}'), null, "array items are no names");
  t.equal(repeatedName('{"\\\\":1,"\\\\\\"":2}'), null, "escaped backslashes and quotes");
  t.equal(repeatedName(" { } "), null);
});
