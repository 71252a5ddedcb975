import type { RedisClient } from "../../lib/redis-plugin.js";
import { keys } from "../keys.js";

export interface TempBooking {
  booking_id: number;
  user_id: number;
  flight_ids: number[];
  seats: number;
  total_amount: number;
  hold_id: string;
  expires_at: string;
}

/**
 * The temporary booking the original kept in RedisClient while the seats are held: it lives exactly
 * as long as the hold and goes when the booking is settled. It never holds passenger data.
 */
export class TempBookings {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
  ) {}

  async put(t: TempBooking): Promise<void> {
    await this.redis.set(keys.tempBooking(t.booking_id), JSON.stringify(t), "EX", this.ttlSeconds);
  }

  async get(bookingId: number): Promise<TempBooking | null> {
    const raw = await this.redis.get(keys.tempBooking(bookingId));
    return raw ? (JSON.parse(raw) as TempBooking) : null;
  }

  async remove(bookingId: number): Promise<void> {
    await this.redis.del(keys.tempBooking(bookingId));
  }
}
