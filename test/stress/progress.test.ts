import t from "tap";
import { LoadCollector } from "../../stress/load/collector.js";
import { progressLine, startProgress } from "../../stress/load/progress.js";

function collector(): LoadCollector {
  const c = new LoadCollector();
  for (let i = 0; i < 5; i++) c.response(201, 3);
  c.response(409, 4);
  c.response(503, 9);
  c.error(true);
  return c;
}

t.test("the progress line: elapsed, requests, non-2xx, 5xx, errors, timeouts", async (t) => {
  const line = progressLine("contention", collector(), 8);
  t.match(line, /^ {2}contention +\d+\.\ds\/8s +7 req +\d+ req\/s {2}non-2xx 2 {2}5xx 1 {2}errors 0 {2}timeouts 1$/);
  t.notMatch(progressLine("x", collector(), null), /s\/\d+s/, "no planned duration in a request-count run");
});

t.test("a terminal gets the line redrawn in place, a log gets whole lines", async (t) => {
  const tty: string[] = [];
  startProgress({ isTTY: true, write: (s) => tty.push(s) }, "search", collector(), 5)();
  t.ok(tty[0]?.startsWith("\r\x1b[2K  search "), "carriage return, clear the line, redraw");
  t.equal(tty[1], "\n");
  const log: string[] = [];
  startProgress({ write: (s) => log.push(s) }, "search", collector(), 5)();
  t.equal(log.length, 1);
  t.match(log[0], /^ {2}search .*\n$/);
  t.doesNotThrow(() => startProgress(null, "quiet", collector(), 5)());
});
