import { int, ms, outcomeSummary, statusSummary } from "./format.js";
import { type StressReport, scenarioOk } from "./types.js";

const COLUMNS = ["scenario", "req/s", "p50", "p90", "p99", "max", "errors", "timeouts", "status codes"] as const;
const RIGHT = new Set(["req/s", "p50", "p90", "p99", "max", "errors", "timeouts"]);

function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => {
        // The last column is left ragged: status codes vary in length.
        if (i === r.length - 1) return cell;
        const w = widths[i] as number;
        return RIGHT.has(COLUMNS[i] as string) ? cell.padStart(w) : cell.padEnd(w);
      })
      .join("  "),
  );
}

/** The report as people read it in a terminal: one table of load figures, then the invariants. */
export function renderTerminal(report: StressReport, color = false): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const pass = paint(32, "PASS");
  const fail = paint(31, "FAIL");
  const rows: string[][] = [[...COLUMNS]];
  for (const s of report.scenarios) {
    for (const p of s.phases) {
      const l = p.latencyMs;
      rows.push([
        p.name,
        int(p.requestsPerSecond),
        ms(l.p50),
        ms(l.p90),
        ms(l.p99),
        ms(l.max),
        int(p.errors),
        int(p.timeouts),
        statusSummary(p.statusCodes),
      ]);
    }
  }
  const [head, ...body] = table(rows);
  const rule = "─".repeat(Math.min(110, (head ?? "").length + 10));
  const out = ["", paint(1, head ?? ""), rule, ...body, ""];
  for (const s of report.scenarios) {
    const ok = scenarioOk(s);
    out.push(`${paint(1, s.name)}  ${ok ? pass : fail}  (${s.wallSeconds} s)`);
    if (s.error) out.push(`  ${fail}  could not run: ${s.error}`);
    const width = Math.max(0, ...s.invariants.map((i) => i.name.length));
    for (const i of s.invariants) out.push(`  ${i.ok ? pass : fail}  ${i.name.padEnd(width)}  ${i.detail}`);
    if (Object.keys(s.outcomes).length) out.push(`  outcomes: ${outcomeSummary(s.outcomes)}`);
    out.push("");
  }
  const failed = report.scenarios.filter((s) => !scenarioOk(s)).map((s) => s.name);
  out.push(
    report.ok
      ? paint(32, `every invariant held in ${report.scenarios.length} scenarios (seed ${report.seed})`)
      : paint(31, `FAILED: ${failed.join(", ") || "no scenario ran"} (seed ${report.seed})`),
  );
  return out.join("\n");
}
