import { randomInt } from "node:crypto";

/** A source of numbers in [0, 1). */
export type Rng = () => number;

import { MAX_SEED } from "../contracts/payment-mock/admin.js";

/**
 * mulberry32: a tiny, fast 32-bit generator. Statistically fine for choosing mock outcomes,
 * and the same seed always yields the same sequence, which is what makes a run reproducible.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSeed(): number {
  return randomInt(0, MAX_SEED);
}
