// The answers documentation shows under its curl examples, as patterns a test can check:
// `# 200 {"id":4,"flight_number":"AI201",…}`. JSON, except that `…` stands for what a reader
// need not see: as a member or element, "and more" (otherwise objects and arrays are exact);
// as a value, any value; inside a string, any characters.

const ANY = "\u0000any";
const MORE = "\u0000more";

export interface Answer {
  status: number;
  /** undefined: no body shown. */
  pattern?: unknown;
}

/** Rewrites each bare `…` into JSON the matcher knows, by where it stands. */
function toJson(text: string): string {
  let out = "";
  let inString = false;
  const open: string[] = [];
  let last = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === "…") {
      if (last === ":") out += JSON.stringify(ANY);
      else if (open[open.length - 1] === "{") out += `${JSON.stringify(MORE)}:0`;
      else out += JSON.stringify(MORE);
      last = "…";
      continue;
    }
    if (c === '"') inString = true;
    if (c === "{" || c === "[") open.push(c);
    if (c === "}" || c === "]") open.pop();
    if (!/\s/.test(c)) last = c;
    out += c;
  }
  return out;
}

/** `200 {…}` or `204`: the status and the body pattern; throws on anything else. */
export function parseAnswer(text: string): Answer {
  const m = /^(\d{3})(?:\s+([\s\S]+))?$/.exec(text.trim());
  if (!m) throw new Error(`not an answer (expected "<status> <json>"): ${text}`);
  const status = Number(m[1]);
  if (m[2] === undefined) return { status };
  try {
    return { status, pattern: JSON.parse(toJson(m[2])) };
  } catch (err) {
    throw new Error(`the answer's body is not JSON with …: ${(err as Error).message}: ${m[2]}`);
  }
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("…")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[\\s\\S]*")}$`,
  );

/** Where `actual` differs from `pattern`, one line per difference; empty when it matches. */
export function mismatches(actual: unknown, pattern: unknown, at = "$"): string[] {
  if (pattern === ANY) return actual === undefined ? [`${at}: missing`] : [];
  if (typeof pattern === "string" && pattern.includes("…")) {
    return typeof actual === "string" && glob(pattern).test(actual)
      ? []
      : [`${at}: ${JSON.stringify(actual)} is not like ${JSON.stringify(pattern)}`];
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
    const more = pattern[pattern.length - 1] === MORE;
    const items = more ? pattern.slice(0, -1) : pattern;
    if (more ? actual.length < items.length : actual.length !== items.length) {
      return [`${at}: ${actual.length} items, expected ${more ? "at least " : ""}${items.length}`];
    }
    return items.flatMap((p, i) => mismatches(actual[i], p, `${at}[${i}]`));
  }
  if (pattern !== null && typeof pattern === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    }
    const got = actual as Record<string, unknown>;
    const want = pattern as Record<string, unknown>;
    const out = Object.entries(want)
      .filter(([k]) => k !== MORE)
      .flatMap(([k, p]) => (k in got ? mismatches(got[k], p, `${at}.${k}`) : [`${at}.${k}: missing`]));
    if (!(MORE in want)) {
      for (const k of Object.keys(got)) if (!(k in want)) out.push(`${at}.${k}: not shown (add it, or …)`);
    }
    return out;
  }
  return Object.is(actual, pattern) ? [] : [`${at}: ${JSON.stringify(actual)}, expected ${JSON.stringify(pattern)}`];
}
