import { statusSummary } from "../report/format.js";
import type { FaultRunResult } from "./run-fault.js";

// What `make chaos` prints: a line per run as it ends, a table per fault at the end.

const secs = (s: number | null): string => (s === null ? "–" : `${s.toFixed(1)} s`);

export function runLine(r: FaultRunResult): string {
  const head = `${r.ok ? "PASS" : "FAIL"} ${r.fault} #${r.run}`;
  if (r.error) return `${head}: could not run: ${r.error}`;
  const lines = [
    `${head}: fault to repair ${secs(r.faultSeconds)}; bookings confirmed again ${secs(r.recoveredSeconds)} after ` +
      `the repair; settled ${secs(r.settledSeconds)} after the fault (${secs(r.settleWaitSeconds)} after the load); ` +
      `answers during the fault ${statusSummary(r.duringFault)}`,
  ];
  for (const i of r.invariants) if (!i.ok) lines.push(`  ✗ ${i.name}: ${i.detail}`);
  return lines.join("\n");
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

/** One row per fault: runs passed, how long the fault lasted, and the recovery and settle times. */
export function summaryTable(results: FaultRunResult[]): string {
  const faults = [...new Set(results.map((r) => r.fault))];
  const rows = [
    ["fault", "passed", "fault to repair", "confirmed again", "settled after the fault", "after the load", "requests"],
    ["", "", "max", "median / max", "median / max", "max", ""],
  ];
  for (const f of faults) {
    const runs = results.filter((r) => r.fault === f);
    const settled = runs.map((r) => r.settledSeconds).filter((x): x is number => x !== null);
    const recovered = runs.map((r) => r.recoveredSeconds).filter((x): x is number => x !== null);
    const waits = runs.map((r) => r.settleWaitSeconds).filter((x): x is number => x !== null);
    const repairs = runs.map((r) => r.faultSeconds).filter((x): x is number => x !== null);
    rows.push([
      f,
      `${runs.filter((r) => r.ok).length}/${runs.length}`,
      secs(max(repairs)),
      `${secs(median(recovered))} / ${secs(max(recovered))}`,
      `${secs(median(settled))} / ${secs(max(settled))}`,
      secs(max(waits)),
      String(runs.reduce((a, r) => a + (r.phase?.requests ?? 0), 0)),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
