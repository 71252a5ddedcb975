import t from "tap";
import { repeatedName } from "../../lib/json-names.js";

t.test("a name given twice in one object is found, however it is written and wherever the object is", async (t) => {
  t.equal(repeatedName('{"a":1,"a":2}'), "a");
  t.equal(repeatedName('{"a":1,"\\u0061":2}'), "a", "compared decoded");
  t.equal(repeatedName('{"x":[{"b":1},{"c":{"d":1,"d":2}}]}'), "x[1].c.d", "in an object inside an array");
  t.equal(repeatedName('{"s":"\\"a\\":1,","a":1,"t":{"a":2}}'), null, "names in strings and in other objects");
  t.equal(repeatedName('[{"a":1},{"a":1}]'), null, "one per object");
  t.equal(repeatedName('{"k":["a","a"],"a":{}}'), null, "array items are no names");
  t.equal(repeatedName('{"\\\\":1,"\\\\\\"":2}'), null, "escaped backslashes and quotes");
  t.equal(repeatedName(" { } "), null);
});

t.test("a repeated name is named by its path, as validation errors name nested fields", async (t) => {
  t.equal(repeatedName('{"passengers":[{"name":"a","name":"b"}]}'), "passengers[0].name");
  t.equal(
    repeatedName('{"seats":2,"passengers":[{"name":"a","email":"e"},{"name":"b","email":"f","email":"g"}]}'),
    "passengers[1].email",
  );
  t.equal(repeatedName('{"a":{"b":[[1,2],[{"c":1,"c":2}]]}}'), "a.b[1][0].c", "arrays in arrays");
  t.equal(repeatedName('{"s":"x,y","l":[",",{"k":1,"k":2}]}'), "l[1].k", "commas in strings are not items");
  t.equal(repeatedName('[{"a":1},{"a":1,"a":2}]'), "[1].a", "a body that is an array");
  t.equal(repeatedName('{"a\\"b":{"c":1},"d":{"c":1,"c":1}}'), "d.c", "after an escaped name");
});
