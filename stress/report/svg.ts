// Charts as inline SVG strings: the HTML report carries them itself (no script, no network).

export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const W = 380;
const H = 230;
const M = { top: 54, right: 16, bottom: 40, left: 60 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const fmt = (n: number): string => (Math.abs(n) >= 1000 ? `${+(n / 1000).toFixed(1)}k` : `${+n.toFixed(1)}`);

/** 0 and round steps (1, 2 or 5 × 10^k) up to at least `max`. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(+v.toFixed(10));
  return ticks;
}

/** Powers of ten covering [min, max] (min at least 0.1). */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(0.1, min)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(0.1, max))));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(+(10 ** e).toFixed(10));
  return ticks;
}

function frame(title: string, body: string, yLabel: string): string {
  return (
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${M.left}" y="18" font-size="13" font-weight="600" fill="#222">${esc(title)}</text>` +
    `<text transform="translate(14 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#555">${esc(yLabel)}</text>` +
    body +
    "</svg>"
  );
}

function yAxis(ticks: number[], y: (v: number) => number, label: (v: number) => string): string {
  return ticks
    .map((t) => {
      const py = y(t).toFixed(1);
      return (
        `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>` +
        `<text x="${M.left - 6}" y="${py}" dy="4" text-anchor="end" font-size="10" fill="#555">${esc(label(t))}</text>`
      );
    })
    .join("");
}

function legend(items: { name: string; color: string }[]): string {
  // Right-aligned, wrapping onto a second row when the names do not fit beside each other.
  let x = M.left + PLOT_W;
  let row = 0;
  return items
    .slice()
    .reverse()
    .map((it) => {
      const w = it.name.length * 6.2 + 22;
      if (x - w < M.left && row === 0) {
        row = 1;
        x = M.left + PLOT_W;
      }
      x -= w;
      const y = 25 + row * 13;
      return (
        `<rect x="${x.toFixed(1)}" y="${y}" width="10" height="10" fill="${it.color}"/>` +
        `<text x="${(x + 14).toFixed(1)}" y="${y + 9}" font-size="11" fill="#333">${esc(it.name)}</text>`
      );
    })
    .join("");
}

export interface BarGroup {
  label: string;
  values: number[];
}

/** Grouped bars on a log scale (latencies span decades), each bar labelled with its value. */
export function barChart(title: string, series: { name: string; color: string }[], groups: BarGroup[]): string {
  const all = groups.flatMap((g) => g.values).filter((v) => v > 0);
  const ticks = logTicks(Math.min(...all, 1), Math.max(...all, 1));
  const lo = Math.log10(ticks[0] as number);
  const hi = Math.log10(ticks[ticks.length - 1] as number);
  const y = (v: number) => M.top + PLOT_H - ((Math.log10(Math.max(v, ticks[0] as number)) - lo) / (hi - lo)) * PLOT_H;
  const groupW = PLOT_W / Math.max(1, groups.length);
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, series.length));
  const bars = groups
    .map((g, gi) => {
      const x0 = M.left + gi * groupW + (groupW - barW * series.length) / 2;
      const rects = g.values
        .map((v, si) => {
          const x = x0 + si * barW;
          const top = y(v);
          const color = series[si]?.color ?? "#888";
          return (
            `<rect class="bar" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(M.top + PLOT_H - top).toFixed(1)}" fill="${color}"><title>${esc(`${g.label} ${series[si]?.name}: ${v} ms`)}</title></rect>` +
            `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${esc(fmt(v))}</text>`
          );
        })
        .join("");
      const label = `<text x="${(M.left + gi * groupW + groupW / 2).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${esc(g.label)}</text>`;
      return rects + label;
    })
    .join("");
  return frame(title, yAxis(ticks, y, (t) => `${fmt(t)} ms`) + bars + legend(series), "latency (ms, log scale)");
}

export interface Series {
  name: string;
  color: string;
  /** [x, y] pairs, x ascending; a null y breaks the line (a new phase, a second without answers). */
  points: [number, number | null][];
}

/** The unbroken runs of a series, each drawn as its own polyline. */
export function segments(points: [number, number | null][]): [number, number][][] {
  const out: [number, number][][] = [[]];
  for (const [x, y] of points) {
    if (y === null) {
      if ((out[out.length - 1] as [number, number][]).length) out.push([]);
    } else (out[out.length - 1] as [number, number][]).push([x, y]);
  }
  return out.filter((run) => run.length > 0);
}

/** Lines over time (x in seconds), with optional vertical markers where a new phase starts. */
export function lineChart(
  title: string,
  yLabel: string,
  series: Series[],
  markers: { x: number; label: string }[] = [],
): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const xMax = Math.max(1, ...xs);
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1] ?? 0))));
  const yMax = ticks[ticks.length - 1] as number;
  const x = (v: number) => M.left + (v / xMax) * PLOT_W;
  const y = (v: number) => M.top + PLOT_H - (v / yMax) * PLOT_H;
  const xTicks = niceTicks(xMax, 6).filter((t) => t <= xMax);
  const xAxis =
    xTicks
      .map(
        (t) =>
          `<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="10" fill="#555">${fmt(t)}</text>`,
      )
      .join("") +
    `<text x="${M.left + PLOT_W / 2}" y="${H - 6}" text-anchor="middle" font-size="11" fill="#555">seconds</text>` +
    `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H}" stroke="#999"/>`;
  const marks = markers
    .map(
      (m) =>
        `<line x1="${x(m.x).toFixed(1)}" x2="${x(m.x).toFixed(1)}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#999" stroke-dasharray="4 3"/>` +
        `<text x="${(x(m.x) + 4).toFixed(1)}" y="${M.top + 12}" font-size="10" fill="#555">${esc(m.label)}</text>`,
    )
    .join("");
  const lines = series
    .flatMap((s) =>
      segments(s.points).map((run) => {
        const pts = run.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
        return `<polyline class="line" fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"><title>${esc(s.name)}</title></polyline>`;
      }),
    )
    .join("");
  return frame(title, yAxis(ticks, y, fmt) + xAxis + marks + lines + legend(series), yLabel);
}
