import type { BookingsRepo, BookingWithLegs, NewBooking } from "./bookings-repo.js";
import { GroupedWrites } from "./grouped-writes.js";

// Every booking's row is written once its hold answered, and a burst of bookings (or of refusals
// on a full flight) would otherwise pay a commit each: the rows that arrive while another group's
// statement runs go together in the next.
const MAX_GROUP = 200;

/** Rows of new bookings, written in groups (BookingsRepo.insertAll). */
export class NewBookings {
  private readonly group: GroupedWrites<NewBooking, BookingWithLegs | null>;

  constructor(repo: BookingsRepo) {
    this.group = new GroupedWrites((rows) => repo.insertAll(rows), MAX_GROUP);
  }

  /** The row as written; null when another row holds the booking's Idempotency-Key. */
  add(row: NewBooking): Promise<BookingWithLegs | null> {
    return this.group.add(row);
  }
}
