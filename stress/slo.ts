import { LATENCY_STATS, type PhaseResult, type SloResult } from "./report/types.js";
import { TARGETS } from "./scenarios/targets.js";

// Latency thresholds given with --slo: `p99=200` holds every target to it, `booking:p99=300`
// only the targets of that name. A missed threshold makes the run exit 1, like a failed invariant.
// A target no scenario has is refused: a misspelt one would otherwise hold nothing and pass.

export type SloStat = (typeof LATENCY_STATS)[number];

export interface Slo {
  /** null: every target. */
  target: string | null;
  stat: SloStat;
  maxMs: number;
}

const SLO = new RegExp(`^(?:([a-z+-]+):)?(${LATENCY_STATS.join("|")})=(\\d+(?:\\.\\d+)?)(?:ms)?$`);

/** Parses one `[target:]stat=ms`; null when it is not one. */
export function parseSlo(text: string): Slo | null {
  const m = SLO.exec(text.trim());
  if (!m || (m[1] !== undefined && !(TARGETS as readonly string[]).includes(m[1]))) return null;
  const maxMs = Number(m[3]);
  if (!(maxMs > 0)) return null;
  return { target: m[1] ?? null, stat: m[2] as SloStat, maxMs };
}

export const sloName = (s: Slo): string => `${s.target ?? "every target"} ${s.stat} ≤ ${s.maxMs} ms`;

/** Each threshold against every phase target it names; a threshold naming no target here is left out. */
export function checkSlos(slos: readonly Slo[], phases: readonly PhaseResult[]): SloResult[] {
  const out: SloResult[] = [];
  for (const slo of slos) {
    const measured = phases.flatMap((p) =>
      p.targets
        .filter((t) => (slo.target === null || t.name === slo.target) && t.requests > 0)
        .map((t) => ({ where: phases.length > 1 ? `${p.name} ${t.name}` : t.name, ms: t.latencyMs[slo.stat] })),
    );
    if (measured.length === 0) continue;
    const over = measured.filter((m) => m.ms > slo.maxMs);
    const detail = measured.map((m) => `${m.where} ${m.ms} ms`).join(", ");
    out.push({ name: sloName(slo), ok: over.length === 0, detail: over.length ? `over: ${detail}` : detail });
  }
  return out;
}
