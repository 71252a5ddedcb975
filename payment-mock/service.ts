import { LRUCache } from "lru-cache";
import { AppError } from "../lib/errors.js";
import { decide } from "./decide.js";
import { IdSource, isoNow } from "./ids.js";
import { createRng, type Rng, randomSeed } from "./prng.js";
import { applyRefund, planRefund } from "./refunds.js";
import { applyPatch, type MockSettings, type SettingsPatch } from "./settings.js";
import { PaymentStats } from "./stats.js";
import { PaymentStore } from "./store.js";
import { type ChargeRequest, type Outcome, type Payment, type Refund, sameCharge } from "./types.js";
import { Waiter } from "./waiter.js";

export type ProcessResult =
  | { kind: "payment"; payment: Payment; replayed: boolean }
  | { kind: "timeout"; replayed: boolean };
export interface RefundResult {
  refund: Refund;
  replayed: boolean;
}

interface InFlight {
  req: ChargeRequest;
  promise: Promise<ProcessResult>;
}

/**
 * Where a duplicate waits for a request in flight: its key, or without one its booking id, amount
 * and forced outcome, so that a forced request never shares the answer of another outcome.
 */
function slotOf(req: ChargeRequest, key: string | null, forced: Outcome | undefined): string {
  return key === null ? `b:${req.bookingId}:${req.amountCents}:${forced ?? ""}` : `k:${key}`;
}

function keyReused(): AppError {
  return new AppError("idempotency_key_reused");
}

/** Without a key the booking id and amount are the key: they cannot replay someone else's payment. */
function bookingReused(): AppError {
  return new AppError(
    "idempotency_key_reused",
    "Without an Idempotency-Key, booking_id and amount name the payment: this one was made with another user_id or payment_type.",
  );
}

/**
 * The payment provider. A payment is decided and recorded when its request arrives; the latency
 * only delays the answer, so a status lookup is authoritative from receipt on. A timeout either
 * records nothing or (timeout_outcome "processed") records a success whose answer is lost.
 */
export class PaymentService {
  private settings: MockSettings;
  private rng: Rng;
  /** The seed of the current sequence, drawn at random when none is set: logged to replay a run. */
  seedInUse = 0;
  private readonly ids = new IdSource();
  private readonly store: PaymentStore;
  private readonly stats = new PaymentStats();
  private readonly waiter = new Waiter();
  /** Requests still waiting to answer, by idempotency slot: a duplicate shares the answer. */
  private readonly inFlight = new Map<string, InFlight>();
  /** Refund Idempotency-Key → the refund it made (bounded like the payments). */
  private readonly refundKeys: LRUCache<string, { paymentId: string; amountCents?: number; refund: Refund }>;

  constructor(settings: MockSettings, maxStored: number) {
    this.settings = settings;
    this.rng = this.seeded();
    this.store = new PaymentStore(maxStored);
    this.refundKeys = new LRUCache({ max: maxStored });
  }

  async process(req: ChargeRequest, key: string | null, forced?: Outcome): Promise<ProcessResult> {
    // A duplicate of a request still waiting shares its answer (a timeout records nothing, so
    // only this keeps it from being charged meanwhile). With latency 0 nothing ever waits.
    const slot = slotOf(req, key, forced);
    const running = this.inFlight.size === 0 ? undefined : this.inFlight.get(slot);
    if (running !== undefined) {
      if (!sameCharge(running.req, req)) throw key === null ? bookingReused() : keyReused();
      return { ...(await running.promise), replayed: true };
    }
    const stored = key === null ? this.storedWithoutKey(req, forced) : this.store.getByKey(key);
    if (stored !== undefined) {
      if (key !== null && !sameCharge(stored, req)) throw keyReused();
      return { kind: "payment", payment: stored, replayed: true };
    }

    const decision = decide(this.settings, this.rng, req.paymentType, forced);
    const result = this.record(req, key, decision.outcome, decision.declineCode);
    if (decision.delayMs <= 0) return result;

    const entry: InFlight = { req, promise: this.waiter.wait(decision.delayMs).then(() => result) };
    this.inFlight.set(slot, entry);
    try {
      return await entry.promise;
    } finally {
      if (this.inFlight.get(slot) === entry) this.inFlight.delete(slot);
    }
  }

  /**
   * Without a key the booking id and amount name the payment, for its user and payment type only
   * (another would be handed someone else's payment as its own). A forced outcome replays only a
   * payment that had it (a simulate endpoint never answers another outcome) and is otherwise a
   * new attempt; a plain request replays the success, else the decline.
   */
  private storedWithoutKey(req: ChargeRequest, forced: Outcome | undefined): Payment | undefined {
    const success = this.store.getByBooking(req.bookingId, req.amountCents, "success");
    const failed = this.store.getByBooking(req.bookingId, req.amountCents, "failed");
    if ((success && !sameCharge(success, req)) || (failed && !sameCharge(failed, req))) throw bookingReused();
    switch (forced) {
      case "success":
        return success;
      case "failure":
        return failed;
      case "timeout":
        return undefined;
      default:
        return success ?? failed;
    }
  }

  private record(req: ChargeRequest, key: string | null, outcome: Outcome, declineCode: Payment["declineCode"]) {
    if (outcome === "timeout") {
      const processed = this.settings.timeoutOutcome === "processed";
      this.stats.recordTimeout(processed);
      // Without a key a booking and amount are charged once: a forced timeout after their success
      // loses that success's answer instead of charging again.
      const charged = key === null && this.store.getByBooking(req.bookingId, req.amountCents, "success") !== undefined;
      if (processed && !charged) this.charge(req, key, "success", null);
      return { kind: "timeout", replayed: false } as const;
    }
    const payment = this.charge(req, key, outcome === "success" ? "success" : "failed", declineCode);
    return { kind: "payment", payment, replayed: false } as const;
  }

  private charge(
    req: ChargeRequest,
    key: string | null,
    status: Payment["status"],
    declineCode: Payment["declineCode"],
  ) {
    const payment: Payment = {
      bookingId: req.bookingId,
      userId: req.userId,
      amountCents: req.amountCents,
      paymentType: req.paymentType,
      id: this.ids.next("pay"),
      status,
      declineCode,
      idempotencyKey: key,
      createdAt: isoNow(),
      refundedCents: 0,
      fullRefund: null,
    };
    this.store.add(payment);
    this.stats.recordPayment(payment);
    return payment;
  }

  get(id: string): Payment {
    const p = this.store.get(id);
    if (p === undefined) throw new AppError("payment_not_found", undefined, { payment_id: id });
    return p;
  }

  getByKey(key: string): Payment {
    const p = this.store.getByKey(key);
    if (p === undefined) {
      throw new AppError("payment_not_found", "No payment was recorded under this Idempotency-Key.", {
        idempotency_key: key,
      });
    }
    return p;
  }

  /** `amountCents` undefined refunds what is left. With a key, a repeat returns the first refund. */
  refund(paymentId: string, amountCents: number | undefined, key: string | null): RefundResult {
    const seen = key === null ? undefined : this.refundKeys.get(key);
    if (seen !== undefined) {
      if (seen.paymentId !== paymentId || seen.amountCents !== amountCents) throw keyReused();
      return { refund: seen.refund, replayed: true };
    }
    const payment = this.get(paymentId);
    const plan = planRefund(payment, amountCents);
    if (plan.kind === "replay") return { refund: plan.refund, replayed: true };
    const refund = applyRefund(payment, plan.amountCents, this.ids.next("ref"), isoNow(), plan.full);
    this.stats.recordRefund(plan.amountCents);
    if (key !== null) this.refundKeys.set(key, { paymentId, amountCents, refund });
    return { refund, replayed: false };
  }

  statsJson() {
    return this.stats.toJson();
  }

  get currentSettings(): MockSettings {
    return this.settings;
  }

  /** Validates and applies a change; a seed in the patch restarts the sequence from it. */
  updateSettings(patch: SettingsPatch): MockSettings {
    this.settings = applyPatch(this.settings, patch);
    if (patch.seed !== undefined) this.rng = this.seeded();
    return this.settings;
  }

  /** Forgets every payment, refund and total; with a seed set, the sequence starts over too. */
  reset(): void {
    this.store.clear();
    this.stats.reset();
    this.inFlight.clear();
    this.refundKeys.clear();
    this.rng = this.seeded();
  }

  private seeded(): Rng {
    this.seedInUse = this.settings.seed ?? randomSeed();
    return createRng(this.seedInUse);
  }

  get storedCount(): number {
    return this.store.size;
  }

  /** Answers every waiting request now (shutdown must not wait out a timeout delay). */
  close(): void {
    this.waiter.close();
  }
}
