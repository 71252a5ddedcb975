// The loyalty ledger's use cases; routes call one of these.
import { randomUUID } from "node:crypto";
import type { Static } from "@sinclair/typebox";
import type { EarnBody, LoyaltyEntry } from "../../contracts/user-svc/loyalty.js";
import { AppError, toErrorBody, validationError } from "../../lib/errors.js";
import { FIRST_DATE, isCalendarDate, LAST_DATE } from "../../lib/input-schemas.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { BelowZero, type EntryRow, LedgerRepo, type NewEarn, OverRefund } from "./ledger-repo.js";
import { type Tier, tierFor } from "./tiers.js";

export const entryView = (e: EntryRow): LoyaltyEntry => ({
  id: e.id,
  kind: e.kind,
  miles: e.miles,
  ...(e.booking_id === null ? {} : { booking_id: e.booking_id }),
  at: e.at.toISOString(),
  ...(e.flown_at === null ? {} : { flown_at: e.flown_at.toISOString() }),
});

/**
 * A flown leg's entry, once per booking and flight. The nonce keeps a booking that got an old
 * booking's id from being answered that booking's miles; without one the key is as it always was.
 * `flown_at` (the leg's departure) is the year the tier counts it in; an older booking-svc sends
 * none, and the entry counts when it is recorded.
 */
function earnOf(leg: Static<typeof EarnBody>): NewEarn {
  const flownAt = leg.flown_at === undefined ? null : new Date(leg.flown_at);
  if (flownAt !== null && !isCalendarDate(flownAt.toISOString().slice(0, 10))) {
    throw validationError("flown_at", `flown_at must fall from ${FIRST_DATE} to ${LAST_DATE}.`);
  }
  const nonce = leg.booking_nonce === undefined ? "" : `:${leg.booking_nonce}`;
  return {
    userId: leg.user_id,
    miles: leg.miles,
    bookingId: leg.booking_id,
    key: `earn:${leg.booking_id}:${leg.flight_id}${nonce}`,
    flownAt,
  };
}

export interface Statement {
  balance: number;
  tier: Tier;
  entries: LoyaltyEntry[];
  next_cursor: string | null;
}

export class Ledger {
  private readonly repo: LedgerRepo;

  constructor(
    sql: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repo = new LedgerRepo(sql);
  }

  async tier(userId: number): Promise<Tier> {
    return tierFor(await this.repo.earnedInYear(userId, this.now()));
  }

  async statement(userId: number, limit: number, cursor: number | null): Promise<Statement> {
    // One more than the page tells whether another page follows. One snapshot, so that the
    // balance is the sum of the entries listed when the page holds them all.
    const [rows, balance, earned] = await this.repo.atOneMoment((repo) =>
      Promise.all([
        repo.statement(userId, limit + 1, cursor),
        repo.balance(userId),
        repo.earnedInYear(userId, this.now()),
      ]),
    );
    const tier = tierFor(earned);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      balance,
      tier,
      entries: page.map(entryView),
      next_cursor: rows.length > limit && last ? String(last.id) : null,
    };
  }

  /** A flown leg's miles (earnOf), with the account's balance; a retry answers the first entry. */
  async earn(leg: Static<typeof EarnBody>) {
    const { entry } = await this.repo.add({ kind: "earn", ...earnOf(leg) });
    return this.reply(entry);
  }

  /**
   * Legs' miles, each as earn() earns it, in one transaction: answers per leg, in order, the
   * status and body earn() would have (a refused leg's refusal, told to `refused` too), never
   * failing one for another.
   */
  async earnBatch(
    legs: Static<typeof EarnBody>[],
    refused: (err: unknown, reply: { status: number; body: Record<string, unknown> }, leg: number) => void,
  ): Promise<{ status: number; body: unknown }[]> {
    const earns = legs.map((leg, i) => {
      try {
        return earnOf(leg);
      } catch (err) {
        const reply = toErrorBody(err);
        refused(err, reply, i);
        return reply;
      }
    });
    const added = await this.repo.addEarns(earns.filter((e): e is NewEarn => "key" in e));
    return earns.map((e) => {
      if (!("key" in e)) return e;
      const got = added.get(e.key);
      if (!got) throw new Error(`loyalty: entry ${e.key} was added but is not there`);
      return { status: 200, body: { entry: entryView(got.entry), balance: got.balance } };
    });
  }

  /** A booking paid in miles; the same key answers the first debit. Never below zero. */
  async debit(userId: number, bookingId: number, key: string, miles: number) {
    try {
      const { entry } = await this.repo.add({ userId, kind: "redeem", miles: -miles, bookingId, key: `redeem:${key}` });
      return this.reply(entry);
    } catch (err) {
      if (!(err instanceof BelowZero)) throw err;
      const balance = await this.repo.balance(userId);
      throw new AppError("insufficient_miles", `The account has ${balance} miles; ${miles} are needed.`, {
        balance,
        miles,
      });
    }
  }

  async debitByKey(key: string) {
    const entry = await this.repo.byKey(`redeem:${key}`);
    if (!entry) throw new AppError("not_found", `No debit was made under ${key}.`);
    return this.reply(entry);
  }

  /**
   * Gives back what is left of a redemption (all of it when no part was refunded), once: a
   * repeated refund answers the first. not_found when there is no redemption or nothing is left.
   */
  async refund(redeemId: number) {
    const redeem = await this.redemption(redeemId);
    const entry = await this.repo.refundRest(redeem, `refund:${redeemId}`);
    if (!entry) throw new AppError("not_found", `Redemption ${redeemId} has no miles left to give back.`);
    return this.reply(entry);
  }

  /**
   * Gives back `miles` of a redemption under the caller's key: the same key answers the first
   * refund. All refunds of a redemption together never exceed what it took.
   */
  async refundPart(redeemId: number, key: string, miles: number) {
    const redeem = await this.redemption(redeemId);
    try {
      const { entry } = await this.repo.add({
        userId: redeem.user_id,
        kind: "refund",
        miles,
        bookingId: redeem.booking_id,
        key: `refund:${redeemId}:${key}`,
        reverses: redeemId,
      });
      return this.reply(entry);
    } catch (err) {
      if (!(err instanceof OverRefund)) throw err;
      const left = -redeem.miles - (await this.repo.refunded(redeemId));
      throw new AppError(
        "conflict",
        `Redemption ${redeemId} has ${left} miles left to give back; ${miles} were asked.`,
        {
          field: "miles",
        },
      );
    }
  }

  private async redemption(redeemId: number): Promise<EntryRow> {
    const redeem = await this.repo.byId(redeemId);
    if (!redeem || redeem.kind !== "redeem") throw new AppError("not_found", `Entry ${redeemId} is not a redemption.`);
    return redeem;
  }

  /**
   * An admin's correction, with its reason; it may not take the balance below zero either. Only for
   * an account or a traveller with miles: any other id is a mistake that would open a ledger. With
   * an Idempotency-Key the account's entry under it answers a retry (the cluster's gateway resends
   * such a write to another instance), so a retry never moves the miles twice.
   */
  async adjust(userId: number, miles: number, reason: string, idempotencyKey?: string) {
    if (miles === 0) throw validationError("miles", "miles must not be 0: an adjustment adds or takes away.");
    if (!(await this.repo.known(userId))) {
      throw new AppError("not_found", `User ${userId} was not found.`, { user_id: userId });
    }
    let added: { entry: EntryRow; created: boolean };
    try {
      added = await this.repo.add({
        userId,
        kind: "adjust",
        miles,
        bookingId: null,
        key: idempotencyKey === undefined ? `adjust:${randomUUID()}` : `adjust:${userId}:${idempotencyKey}`,
        reason,
      });
    } catch (err) {
      if (!(err instanceof BelowZero)) throw err;
      const balance = await this.repo.balance(userId);
      throw new AppError(
        "insufficient_miles",
        `User ${userId} has ${balance} miles; the adjustment takes away ${-miles}.`,
        { field: "miles", balance, miles },
      );
    }
    const { entry, created } = added;
    if (!created && (entry.miles !== miles || entry.reason !== reason)) throw new AppError("idempotency_key_reused");
    return { ...(await this.reply(entry)), replayed: !created };
  }

  private async reply(entry: EntryRow) {
    return { entry: entryView(entry), balance: await this.repo.balance(entry.user_id) };
  }
}
