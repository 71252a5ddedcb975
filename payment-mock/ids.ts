import { randomBytes } from "node:crypto";

/**
 * Opaque ids like `pay_3f9a1c2e7b40_17`: a random part drawn once per process (so ids from
 * another run or a restarted mock never collide) and a counter. A UUID per payment cost more
 * than everything else a charge does.
 */
export class IdSource {
  private readonly run = randomBytes(6).toString("hex");
  private seq = 0;

  next(prefix: "pay" | "ref"): string {
    this.seq++;
    return `${prefix}_${this.run}_${this.seq}`;
  }
}

let lastMs = -1;
let lastIso = "";

/** The current time in ISO 8601, formatted once per millisecond however many payments share it. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
