// loyalty_entries and loyalty_accounts in users_db (migrations 003, 004): every write is one INSERT
// of an entry; the trigger moves the balance in the same statement and its CHECK keeps it ≥ 0, and
// a refund's trigger keeps the refunds of one redemption within what it took.

import type { TransactionSql } from "postgres";
import type { EntryKind } from "../../contracts/user-svc/loyalty.js";
import type { Sql } from "../../lib/postgres-plugin.js";

type Db = Sql | TransactionSql;

export interface EntryRow {
  id: number;
  user_id: number;
  kind: EntryKind;
  miles: number;
  booking_id: number | null;
  reason: string | null;
  at: Date;
  /** An earn entry's departure of the leg it is for; null when booking-svc did not send it. */
  flown_at: Date | null;
}

export interface NewEntry {
  userId: number;
  kind: EntryKind;
  miles: number;
  bookingId: number | null;
  key: string;
  reverses?: number | null;
  reason?: string | null;
  flownAt?: Date | null;
}

/** A flown leg's earn entry, as addEarns takes it. */
export interface NewEarn {
  userId: number;
  miles: number;
  bookingId: number;
  key: string;
  flownAt: Date | null;
}

/** A row as postgres.js returns it: bigint arrives as a string. */
interface EntryRecord {
  id: string;
  user_id: string;
  kind: EntryKind;
  miles: string;
  booking_id: string | null;
  reason: string | null;
  at: Date;
  flown_at: Date | null;
}

const COLUMNS = "id, user_id, kind, miles, booking_id, reason, at, flown_at";

// Ids go up to 2^53 - 1 (booking-svc's) and miles stay far below it: a JS number holds each exactly.
const toEntry = (r: EntryRecord): EntryRow => ({
  id: Number(r.id),
  user_id: Number(r.user_id),
  kind: r.kind,
  miles: Number(r.miles),
  booking_id: r.booking_id === null ? null : Number(r.booking_id),
  reason: r.reason,
  at: r.at,
  flown_at: r.flown_at,
});

/** The balance CHECK refused the entry: it would take the account below zero. */
export class BelowZero extends Error {}

/** The refund trigger refused the entry: the redemption's refunds would give back more than it took. */
export class OverRefund extends Error {}

const REFUSED_BY: Record<string, () => Error> = {
  loyalty_accounts_balance_check: () => new BelowZero(),
  loyalty_refunds_within_debit: () => new OverRefund(),
};

export class LedgerRepo {
  constructor(
    private readonly pool: Sql,
    /** Where statements run: the pool, or the transaction of refundRest. */
    private readonly sql: Db = pool,
  ) {}

  /**
   * Adds the entry unless one with its key exists; either way answers the entry under the key
   * (`created` says which). A concurrent twin waits on the key's unique index and finds the first.
   */
  async add(e: NewEntry): Promise<{ entry: EntryRow; created: boolean }> {
    let rows: EntryRecord[];
    try {
      rows = await this.sql<EntryRecord[]>`
        INSERT INTO loyalty_entries (user_id, kind, miles, booking_id, entry_key, reverses, reason, flown_at)
        VALUES (${e.userId}, ${e.kind}, ${e.miles}, ${e.bookingId}, ${e.key}, ${e.reverses ?? null}, ${e.reason ?? null},
          ${e.flownAt ?? null})
        ON CONFLICT (entry_key) DO NOTHING
        RETURNING ${this.sql.unsafe(COLUMNS)}`;
    } catch (err) {
      const refused = REFUSED_BY[(err as { constraint_name?: string }).constraint_name ?? ""];
      throw refused ? refused() : err;
    }
    if (rows[0]) return { entry: toEntry(rows[0]), created: true };
    const existing = await this.byKey(e.key);
    if (!existing) throw new Error(`loyalty: entry ${e.key} conflicted but is not there`);
    return { entry: existing, created: false };
  }

  /**
   * Earn entries in one transaction: one INSERT for them all, each skipped when its key exists,
   * then the entry under each key (the first one, for a retry) with its account's balance, by key.
   * The trigger moves each balance as the single path does. The rows go in by account, then key:
   * the trigger's account locks are then taken in account order, and the key locks in key order,
   * so two batches sharing accounts or legs wait for each other rather than deadlock.
   */
  async addEarns(earns: NewEarn[]): Promise<Map<string, { entry: EntryRow; balance: number }>> {
    const keys = earns.map((e) => e.key);
    const rows = await this.pool.begin(async (tx) => {
      await tx`
        INSERT INTO loyalty_entries (user_id, kind, miles, booking_id, entry_key, flown_at)
        SELECT v.user_id, 'earn', v.miles, v.booking_id, v.entry_key, v.flown_at::timestamptz
        FROM unnest(${earns.map((e) => e.userId)}::bigint[], ${earns.map((e) => e.miles)}::bigint[],
          ${earns.map((e) => e.bookingId)}::bigint[], ${keys}::text[],
          ${earns.map((e) => e.flownAt?.toISOString() ?? null)}::text[])
          AS v(user_id, miles, booking_id, entry_key, flown_at)
        ORDER BY v.user_id, v.entry_key
        ON CONFLICT (entry_key) DO NOTHING`;
      return tx<(EntryRecord & { entry_key: string; balance: string })[]>`
        SELECT ${tx.unsafe(COLUMNS.replace(/(\w+)/g, "e.$1"))}, e.entry_key, a.balance
        FROM loyalty_entries e JOIN loyalty_accounts a ON a.user_id = e.user_id
        WHERE e.entry_key = ANY(${keys}::text[])`;
    });
    return new Map(rows.map((r) => [r.entry_key, { entry: toEntry(r), balance: Number(r.balance) }]));
  }

  async byKey(key: string): Promise<EntryRow | undefined> {
    const [row] = await this.sql<EntryRecord[]>`
      SELECT ${this.sql.unsafe(COLUMNS)} FROM loyalty_entries WHERE entry_key = ${key}`;
    return row && toEntry(row);
  }

  async byId(id: number): Promise<EntryRow | undefined> {
    const [row] = await this.sql<EntryRecord[]>`
      SELECT ${this.sql.unsafe(COLUMNS)} FROM loyalty_entries WHERE id = ${id}`;
    return row && toEntry(row);
  }

  /** Whether `userId` has an account here or a ledger: booking-svc's travellers need not have an account. */
  async known(userId: number): Promise<boolean> {
    const [row] = await this.sql<{ known: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId})
        OR EXISTS (SELECT 1 FROM loyalty_accounts WHERE user_id = ${userId}) AS known`;
    return row?.known === true;
  }

  /** Runs `read` on one snapshot of the ledger: what it reads agrees, whatever commits meanwhile. */
  async atOneMoment<T>(read: (repo: LedgerRepo) => Promise<T>): Promise<T> {
    const seen = await this.pool.begin("isolation level repeatable read read only", (tx) =>
      read(new LedgerRepo(this.pool, tx)),
    );
    // begin's type unwraps an array of promises; `read` resolves to plain values already.
    return seen as T;
  }

  /**
   * Gives back what is left of a redemption under `key`, once: the redemption's row stays locked
   * from the sum of its refunds to the insert, so a concurrent part cannot slip in between. null
   * when earlier parts gave everything back and no refund was ever made under `key`.
   */
  async refundRest(redeem: EntryRow, key: string): Promise<EntryRow | null> {
    return this.pool.begin(async (tx) => {
      const repo = new LedgerRepo(this.pool, tx);
      // Locked first: a twin that got there before is then seen, and answered, not refunded again.
      await tx`SELECT 1 FROM loyalty_entries WHERE id = ${redeem.id} FOR UPDATE`;
      const done = await repo.byKey(key);
      if (done) return done;
      const left = -redeem.miles - (await repo.refunded(redeem.id));
      if (left <= 0) return null;
      const { entry } = await repo.add({
        userId: redeem.user_id,
        kind: "refund",
        miles: left,
        bookingId: redeem.booking_id,
        key,
        reverses: redeem.id,
      });
      return entry;
    });
  }

  /** Miles the refunds of a redemption gave back so far. */
  async refunded(redeemId: number): Promise<number> {
    const [row] = await this.sql<{ miles: string }[]>`
      SELECT COALESCE(sum(miles), 0)::bigint AS miles FROM loyalty_entries WHERE reverses = ${redeemId}`;
    return Number(row?.miles ?? 0);
  }

  async balance(userId: number): Promise<number> {
    const [row] = await this.sql<{ balance: string }[]>`
      SELECT balance FROM loyalty_accounts WHERE user_id = ${userId}`;
    return Number(row?.balance ?? 0);
  }

  /**
   * Miles earned by flying in the calendar year (UTC) that `at` falls in: a leg counts in the year
   * it was flown, an entry without that date in the year it was recorded.
   */
  async earnedInYear(userId: number, at: Date): Promise<number> {
    const from = new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
    const to = new Date(Date.UTC(at.getUTCFullYear() + 1, 0, 1));
    const [row] = await this.sql<{ miles: string }[]>`
      SELECT COALESCE(sum(miles), 0)::bigint AS miles FROM loyalty_entries
      WHERE user_id = ${userId} AND kind = 'earn'
        AND COALESCE(flown_at, at) >= ${from} AND COALESCE(flown_at, at) < ${to}`;
    return Number(row?.miles ?? 0);
  }

  /** The account's entries, newest first, `limit` after the cursor (an entry id). */
  async statement(userId: number, limit: number, before: number | null): Promise<EntryRow[]> {
    const rows = await this.sql<EntryRecord[]>`
      SELECT ${this.sql.unsafe(COLUMNS)} FROM loyalty_entries
      WHERE user_id = ${userId} ${before === null ? this.sql`` : this.sql`AND id < ${before}`}
      ORDER BY id DESC LIMIT ${limit}`;
    return rows.map(toEntry);
  }
}
