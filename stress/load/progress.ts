import type { LoadCollector } from "./collector.js";

/** Where the live progress line goes: a terminal gets one line redrawn, a log a line every few seconds. */
export interface ProgressOut {
  isTTY?: boolean;
  write(s: string): unknown;
}

const TTY_EVERY_MS = 500;
const LOG_EVERY_MS = 5_000;

export function progressLine(name: string, c: LoadCollector, plannedSeconds: number | null): string {
  const elapsed = c.elapsedSeconds();
  const of = plannedSeconds === null ? "" : `/${plannedSeconds}s`;
  const non2xx = c.count((s) => s < 200 || s > 299);
  const fivexx = c.count((s) => s >= 500);
  return (
    `  ${name.padEnd(32)} ${elapsed.toFixed(1).padStart(5)}s${of}  ${String(c.requests).padStart(7)} req  ` +
    `${String(c.lastSecondRequests()).padStart(6)} req/s  non-2xx ${non2xx}  5xx ${fivexx}  ` +
    `errors ${c.errors}  timeouts ${c.timeouts}`
  );
}

/** Starts redrawing the progress line of a phase; the returned function stops it. */
export function startProgress(
  out: ProgressOut | null,
  name: string,
  c: LoadCollector,
  plannedSeconds: number | null,
): () => void {
  if (!out) return () => {};
  const tty = out.isTTY === true;
  const draw = () => {
    const line = progressLine(name, c, plannedSeconds);
    out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const timer = setInterval(draw, tty ? TTY_EVERY_MS : LOG_EVERY_MS);
  return () => {
    clearInterval(timer);
    draw();
    if (tty) out.write("\n");
  };
}
