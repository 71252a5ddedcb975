// Loaded by tap before every test file (package.json, tap "node-arg").
//
// tap records every module each test process loads, for coverage, and passes its recorder
// (@tapjs/processinfo, a module loader) to every process a test starts: through NODE_OPTIONS,
// and through a hook on child_process that adds it back to any environment given (the package
// process-on-spawn, which keeps its listeners under a global symbol). On Node 20 a
// loader's hooks run on a thread of their own and every imported module crosses to it, so each
// service, worker or script a test starts paid seconds of CPU for records nobody reads: coverage
// is off (package.json, tap "disable-coverage"). The processes the tests start run without it;
// the test process itself keeps it, as tap needs it there.
const RECORDER = /^--import=\S*@tapjs\/processinfo\/\S*$/;
const SPAWN_HOOKS = Symbol.for("process-on-spawn@*:singletonId");

const options = process.env.NODE_OPTIONS;
if (options !== undefined) {
  const kept = options.split(/\s+/).filter((o) => o !== "" && !RECORDER.test(o.replace(/^"|"$/g, "")));
  process.env.NODE_OPTIONS = kept.join(" ");
}
const hooks = (globalThis as { [SPAWN_HOOKS]?: { listeners: unknown[] } })[SPAWN_HOOKS];
if (hooks) hooks.listeners.length = 0;
