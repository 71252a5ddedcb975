import type { ExampleBook } from "../lib/openapi-docs.js";

// Answers of a running booking-svc on the demo data (`make run`).
export const bookingExamples: ExampleBook = {
  "POST /api/bookings": {
    body: {
      user_id: 42,
      flight_id: 6,
      seats: 1,
      date: "2024-02-15",
      payment_type: "upi",
      passengers: [{ name: "Asha Rao", email: "asha@example.com" }],
    },
    responses: {
      "200": {
        booking_id: 2,
        status: "confirmed",
        total_amount: 6500,
        payment_id: "pay_880593263e3a_2",
        message: "Booking confirmed.",
      },
      "4xx": {
        booking_id: 1,
        status: "failed",
        total_amount: 8500,
        payment_id: "pay_880593263e3a_1",
        message: "The payment was declined (expired_card).",
        error: "payment_declined",
      },
    },
  },
  "GET /api/bookings/:id": {
    responses: {
      "200": {
        booking_id: 2,
        user_id: 42,
        status: "confirmed",
        step: "done",
        legs: [{ flight_id: 6, price: 6500 }],
        flight_ids: [6],
        seats: 1,
        date: "2024-02-15",
        payment_type: "upi",
        total_amount: 6500,
        payment_id: "pay_880593263e3a_2",
        refund_id: null,
        hold_id: "bk-2",
        message: "Booking confirmed.",
        error: null,
        passenger_count: 1,
        created_at: "2026-12-01T16:23:21.409Z",
        updated_at: "2026-12-01T16:23:25.887Z",
        confirmed_at: "2026-12-01T16:23:25.887Z",
        cancelled_at: null,
        cancel_reason: null,
        connection_at_risk: false,
      },
    },
  },
};
