import type { BookingsRepo, NewBooking } from "./bookings-repo.js";
import { GroupedWrites } from "./grouped-writes.js";

// A burst on a full flight refuses most of its bookings at once, and each refusal is still a
// booking row: those written while another group's statement runs go together in the next.
const MAX_GROUP = 200;

/** Rows of bookings refused by their hold, written in groups (BookingsRepo.insertFailed). */
export class FailedBookings {
  private readonly group: GroupedWrites<NewBooking & { id: number }, boolean>;

  constructor(repo: BookingsRepo) {
    this.group = new GroupedWrites((rows) => repo.insertFailed(rows), MAX_GROUP);
  }

  /** False when another row holds the booking's Idempotency-Key. */
  add(row: NewBooking & { id: number }): Promise<boolean> {
    return this.group.add(row);
  }
}
