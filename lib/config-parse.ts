// Reading settings from the environment: every variable has a default and a rule, and a bad
// value is collected (not thrown at once) so that start-up names every bad variable together.
// Which variables exist is each owner's business: lib/server-config.ts and lib/auth/settings.ts
// (every service), flight-svc/config.ts, booking-svc/config.ts, user-svc/config.ts,
// payment-mock/config.ts, stress/config.ts, scripts/data/config.ts.
import { utcDayNumber } from "./calendar-date.js";

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  }

  str(name: string, def: string): string {
    return this.raw(name) ?? def;
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      this.problems.push(`${name}=${v}: expected an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  }

  /** An integer, or the word `auto` for the value `auto` stands for here (e.g. one per core). */
  intOrAuto(name: string, def: number, min: number, max: number, auto: number): number {
    const v = this.raw(name);
    if (v === "auto") return auto;
    const n = Number(v);
    if (v !== undefined && (!/^-?\d+$/.test(v) || n < min || n > max)) {
      this.problems.push(`${name}=${v}: expected auto or an integer from ${min} to ${max}`);
      return def;
    }
    return v === undefined ? def : n;
  }

  num(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name}=${v}: expected a number from ${min} to ${max}`);
      return def;
    }
    return n;
  }

  /** An integer that may be left unset (null), e.g. a random seed. */
  optionalInt(name: string, min: number, max: number): number | null {
    return this.raw(name) === undefined ? null : this.int(name, min, min, max);
  }

  oneOf<T extends string>(name: string, def: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!allowed.includes(v as T)) {
      this.problems.push(`${name}=${v}: expected one of ${allowed.join(", ")}`);
      return def;
    }
    return v as T;
  }

  url(name: string, def: string, protocols: readonly string[]): string {
    const v = this.raw(name) ?? def;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error("protocol");
    } catch {
      this.problems.push(`${name}=${v}: expected a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`);
    }
    return v;
  }

  /** The settings read, or a ConfigError listing every problem found on the way. */
  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return config;
  }
}

export const HTTP_PROTOCOLS = ["http:", "https:"] as const;
export const POSTGRES_PROTOCOLS = ["postgres:", "postgresql:"] as const;

/** A real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isUtcDate(v: string): boolean {
  return utcDayNumber(v) !== null;
}
