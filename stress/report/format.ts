// Number formatting shared by the terminal table and the HTML page.

export const int = (n: number): string => Math.round(n).toLocaleString("en-US");

export function ms(n: number): string {
  if (n >= 1000) return `${(n / 1000).toFixed(2)} s`;
  return n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;
}

export function statusSummary(codes: Record<string, number>): string {
  const parts = Object.entries(codes)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([code, n]) => `${code}×${int(n)}`);
  return parts.length ? parts.join(" ") : "none";
}

export function outcomeSummary(outcomes: Record<string, number>): string {
  return Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(" · ");
}
