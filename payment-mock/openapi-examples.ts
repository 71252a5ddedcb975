import type { ExampleBook } from "../lib/openapi-docs.js";

// Answers of a running payment-mock (`make run`).
export const paymentExamples: ExampleBook = {
  "POST /api/payments/process": {
    body: { booking_id: 901, amount: 6500, user_id: 42, payment_type: "upi" },
    responses: {
      "200": {
        payment_id: "pay_880593263e3a_3",
        booking_id: 901,
        amount: 6500,
        status: "success",
        message: "Payment processed successfully.",
        created_at: "2026-12-01T16:23:25.958Z",
      },
    },
  },
  "POST /api/payments/refund": {
    body: { payment_id: "pay_880593263e3a_3" },
    responses: {
      "200": {
        refund_id: "ref_880593263e3a_4",
        payment_id: "pay_880593263e3a_3",
        amount: 6500,
        refunded_amount: 6500,
        status: "refunded",
        created_at: "2026-12-01T16:23:33.908Z",
      },
    },
  },
  "PUT /api/payments/config": {
    body: { failure_rate: 0.15, timeout_rate: 0.05 },
    responses: {
      "200": {
        failure_rate: 0.15,
        timeout_rate: 0.05,
        latency_min_ms: 2000,
        latency_max_ms: 5000,
        timeout_delay_ms: 10000,
        timeout_outcome: "not_processed",
        seed: null,
      },
    },
  },
};
