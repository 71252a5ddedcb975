import { constants } from "node:fs";
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderHtml } from "./html.js";
import type { StressReport } from "./types.js";

/** Writes stress-<time>.json and .html into `dir` (and latest.json/.html); returns their paths. */
export async function writeReports(report: StressReport, dir: string): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const html = renderHtml(report);
  const paths = { json: join(dir, `stress-${stamp}.json`), html: join(dir, `stress-${stamp}.html`) };
  await Promise.all([
    writeFile(paths.json, json),
    writeFile(paths.html, html),
    writeFile(join(dir, "latest.json"), json),
    writeFile(join(dir, "latest.html"), html),
  ]);
  return paths;
}

/**
 * Makes `dir` and checks that files can be written there. The harness calls it before any load,
 * so a folder that cannot take the reports is found at once, not after minutes of load (and the
 * run's figures lost to the error).
 */
export async function prepareReportDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await access(dir, constants.W_OK);
}
