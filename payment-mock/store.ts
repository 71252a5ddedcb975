import { LRUCache } from "lru-cache";
import type { Payment } from "./types.js";

function bookingSlot(bookingId: number, amountCents: number, status: Payment["status"]): string {
  return `${bookingId}:${amountCents}:${status}`;
}

/**
 * Payments in memory, at most `max` of them: the least recently used is forgotten first (a
 * lookup or refund of it then answers 404). The two indexes hold only keys of stored payments:
 * eviction removes a payment's entries from them, so they are bounded by the same cap.
 */
export class PaymentStore {
  private payments: LRUCache<string, Payment>;
  /** Idempotency-Key → payment id. */
  private readonly byKey = new Map<string, string>();
  /** booking id + amount + status → the first payment with them: what key-less requests replay. */
  private readonly byBooking = new Map<string, string>();

  constructor(readonly max: number) {
    this.payments = this.createCache();
  }

  private createCache(): LRUCache<string, Payment> {
    return new LRUCache<string, Payment>({
      max: this.max,
      dispose: (p, id, reason) => {
        if (reason === "evict") this.unindex(p, id);
      },
    });
  }

  add(p: Payment): void {
    this.payments.set(p.id, p);
    if (p.idempotencyKey !== null) this.byKey.set(p.idempotencyKey, p.id);
    const slot = bookingSlot(p.bookingId, p.amountCents, p.status);
    if (!this.byBooking.has(slot)) this.byBooking.set(slot, p.id);
  }

  get(id: string): Payment | undefined {
    return this.payments.get(id);
  }

  getByKey(key: string): Payment | undefined {
    const id = this.byKey.get(key);
    return id === undefined ? undefined : this.payments.get(id);
  }

  getByBooking(bookingId: number, amountCents: number, status: Payment["status"]): Payment | undefined {
    const id = this.byBooking.get(bookingSlot(bookingId, amountCents, status));
    return id === undefined ? undefined : this.payments.get(id);
  }

  get size(): number {
    return this.payments.size;
  }

  clear(): void {
    // A new cache rather than clear(): clear() would call dispose once per stored payment.
    this.payments = this.createCache();
    this.byKey.clear();
    this.byBooking.clear();
  }

  private unindex(p: Payment, id: string): void {
    if (p.idempotencyKey !== null && this.byKey.get(p.idempotencyKey) === id) this.byKey.delete(p.idempotencyKey);
    const slot = bookingSlot(p.bookingId, p.amountCents, p.status);
    if (this.byBooking.get(slot) === id) this.byBooking.delete(slot);
  }
}
