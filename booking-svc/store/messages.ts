import type { SagaState } from "../saga/machine.js";

/**
 * The sentence a booking shows in its `message`. A failed or failing booking shows its failure,
 * which the row keeps next to error_code so that the failure can be rebuilt from the row.
 */
export function messageFor(s: SagaState): string {
  if (s.failure) return s.failure.message;
  switch (s.step) {
    case "hold":
    case "pay":
      return "The booking is being processed; its outcome is not known yet.";
    case "confirm":
      return "The payment succeeded; the seats are being confirmed.";
    case "cancel":
    case "cancel_refund":
      return "The booking is being cancelled.";
    default:
      break;
  }
  if (s.status === "confirmed") return "Booking confirmed.";
  if (s.status === "cancelled") return "Booking cancelled; the seats were released and the payment refunded.";
  return "The booking is being processed.";
}
