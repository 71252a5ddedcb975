import t from "tap";
import { mismatches, parseAnswer } from "../helpers/answer-pattern.js";
import { extractExamples } from "../helpers/markdown-examples.js";

const check = (answer: string, actual: unknown) => mismatches(actual, parseAnswer(answer).pattern);

t.test("an answer without …: status, and a body that must be exactly that", async (t) => {
  t.same(parseAnswer("204"), { status: 204 });
  t.same(check('200 {"a":1,"b":[1,2]}', { a: 1, b: [1, 2] }), []);
  t.same(check('200 {"a":1}', { a: 1, b: 2 }), ["$.b: not shown (add it, or …)"]);
  t.same(check('200 {"a":1,"b":2}', { a: 1 }), ["$.b: missing"]);
  t.same(check('200 {"b":[1,2]}', { b: [1, 2, 3] }), ["$.b: 3 items, expected 2"]);
  t.same(check('200 {"a":"1"}', { a: 1 }), ['$.a: 1, expected "1"']);
  t.throws(() => parseAnswer("{}"), /not an answer/);
  t.throws(() => parseAnswer("200 {a:1}"), /not JSON/);
});

t.test("… as a member or element: and more; as a value: anything; in a string: any characters", async (t) => {
  t.same(check('200 {"a":1,…}', { a: 1, b: 2 }), []);
  t.same(check('200 {…,"a":1}', { a: 2, b: 2 }), ["$.a: 2, expected 1"]);
  t.same(check('200 {"l":[{"id":1,…},…],"n":2}', { l: [{ id: 1, x: 0 }, { id: 2 }], n: 2 }), []);
  t.same(check('200 {"l":[{"id":1},…]}', { l: [] }), ["$.l: 0 items, expected at least 1"]);
  t.same(check('200 {"u":…}', { u: 17 }), []);
  t.same(check('200 {"u":…}', {}), ["$.u: missing"]);
  t.same(check('200 {"id":"pay_…_1"}', { id: "pay_3f9a_1" }), []);
  t.same(check('200 {"id":"pay_…_1"}', { id: "ref_3f9a_1" }), ['$.id: "ref_3f9a_1" is not like "pay_…_1"']);
  t.same(check('200 {"m":"a.b (c)…"}', { m: "a.b (c) and more" }), [], "the rest of the string is literal");
  t.same(check('200 {"m":"a.b…"}', { m: "axb" }), ['$.m: "axb" is not like "a.b…"']);
});

t.test("examples: curl commands of sh blocks with the answer under them, in order", async (t) => {
  const md = [
    "text curl no",
    "```sh",
    "curl -s localhost:8080/a \\",
    "  -H 'x: y'",
    '# 200 {"a":1,',
    '#   "b":2}',
    "# prose, not an answer",
    'curl -s -d \'{"a":',
    "  1}' localhost:8080/b",
    "# 201",
    "x=$(curl -s localhost:8080/c | cut -c1)",
    "curl -s localhost:8080/$x",
    "make something",
    "```",
    "```",
    "curl -s not-shell",
    "```",
  ].join("\n");
  t.same(extractExamples(md), [
    { line: 3, command: "curl -s localhost:8080/a   -H 'x: y'", answer: '200 {"a":1,"b":2}' },
    { line: 8, command: "curl -s -d '{\"a\":\n  1}' localhost:8080/b", answer: "201" },
    { line: 11, command: "curl -s localhost:8080/c | cut -c1", capture: "x" },
    { line: 12, command: "curl -s localhost:8080/$x", answer: undefined },
  ]);
});
