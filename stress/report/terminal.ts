import { int, ms, outcomeSummary, statusSummary } from "./format.js";
import { type InvariantResult, LATENCY_STATS, type StressReport, scenarioOk } from "./types.js";

const COLUMNS = ["scenario", "target", "req/s", ...LATENCY_STATS, "errors", "timeouts", "status codes"] as const;
const RIGHT = new Set<string>(["req/s", ...LATENCY_STATS, "errors", "timeouts"]);

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

/** PASS, FAIL, or N/A for an invariant that does not apply to this system. */
export function verdict(i: InvariantResult): "PASS" | "FAIL" | "N/A" {
  if (i.notApplicable) return "N/A";
  return i.ok ? "PASS" : "FAIL";
}

/**
 * The report as people read it in a terminal: one row per target of each phase (a search and a
 * booking never share a percentile), then the invariants and latency thresholds.
 */
export function renderTerminal(report: StressReport, color = false): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const word = { PASS: paint(32, "PASS"), FAIL: paint(31, "FAIL"), "N/A": paint(33, "N/A ") };
  const rows: string[][] = [[...COLUMNS]];
  for (const s of report.scenarios) {
    for (const p of s.phases) {
      for (const t of p.targets) {
        rows.push([
          p.name,
          t.name,
          int(t.requestsPerSecond),
          ...LATENCY_STATS.map((stat) => ms(t.latencyMs[stat])),
          int(t.errors),
          int(t.timeouts),
          statusSummary(t.statusCodes),
        ]);
      }
    }
  }
  const [head, ...body] = table(rows);
  const rule = "─".repeat(Math.min(120, (head ?? "").length + 10));
  const out = ["", paint(1, head ?? ""), rule, ...body, ""];
  for (const s of report.scenarios) {
    out.push(`${paint(1, s.name)}  ${scenarioOk(s) ? word.PASS : word.FAIL}  (${s.wallSeconds} s)`);
    if (s.error) out.push(`  ${word.FAIL}  could not run: ${s.error}`);
    const width = Math.max(0, ...s.invariants.map((i) => i.name.length), ...s.slos.map((x) => x.name.length));
    for (const i of s.invariants) out.push(`  ${word[verdict(i)]}  ${i.name.padEnd(width)}  ${i.detail}`);
    for (const x of s.slos) out.push(`  ${x.ok ? word.PASS : word.FAIL}  ${x.name.padEnd(width)}  ${x.detail}`);
    if (Object.keys(s.outcomes).length) out.push(`  outcomes: ${outcomeSummary(s.outcomes)}`);
    if (s.reconciliation) out.push(`  answers vs database: ${s.reconciliation}`);
    out.push("");
  }
  const failed = report.scenarios.filter((s) => !scenarioOk(s)).map((s) => s.name);
  const sloFailed = report.scenarios.filter((s) => s.slos.some((x) => !x.ok)).map((s) => s.name);
  if (sloFailed.length) out.push(paint(31, `latency thresholds missed in: ${sloFailed.join(", ")}`));
  if (report.interrupted) {
    const { signal, scenario } = report.interrupted;
    out.push(
      paint(
        31,
        scenario
          ? `interrupted (${signal}) during ${scenario}: only the scenarios before it are reported`
          : `interrupted (${signal}) before the first scenario`,
      ),
    );
  }
  out.push(
    report.ok
      ? paint(32, `every invariant held in ${report.scenarios.length} scenarios (seed ${report.seed})`)
      : paint(
          31,
          `FAILED: ${[...failed, ...(report.interrupted ? [`${report.interrupted.scenario ?? "the run"} (interrupted)`] : [])].join(", ") || "no scenario ran"} (seed ${report.seed})`,
        ),
  );
  return out.join("\n");
}
