import { type Static, Type } from "@sinclair/typebox";
import { StringEnum } from "../errors.js";

// payment-mock's totals and run-time settings as the stress harness calls them.

/** What a timeout leaves behind: no charge, or a charge the caller never heard of. */
export const TIMEOUT_OUTCOMES = ["not_processed", "processed"] as const;
export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

export const MAX_SEED = 2 ** 31 - 1;

const Counted = Type.Object({ count: Type.Integer(), amount: Type.Number() });

/** GET /api/payments/stats → 200: totals since start (or POST /api/payments/reset). */
export const PaymentStats = Type.Object({
  success: Counted,
  failed: Counted,
  timeout: Type.Object({ count: Type.Integer(), processed: Type.Integer() }),
  refunds: Counted,
  net_amount: Type.Number(),
});
export type PaymentStats = Static<typeof PaymentStats>;

const Rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });
const Ms = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 600_000, description: `${description}, in milliseconds (0-600000)` });
// type ["integer", "null"] keeps a JSON null as null (coercion would turn it into 0 under anyOf).
const Seed = Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 0, maximum: MAX_SEED });

/** GET and PUT /api/payments/config → 200. */
export const PaymentConfig = Type.Object({
  failure_rate: Type.Number(),
  timeout_rate: Type.Number(),
  latency_min_ms: Type.Integer(),
  latency_max_ms: Type.Integer(),
  timeout_delay_ms: Type.Integer(),
  timeout_outcome: StringEnum(TIMEOUT_OUTCOMES),
  seed: Seed,
});
export type PaymentConfig = Static<typeof PaymentConfig>;

/** PUT /api/payments/config: only the settings given change; 400 validation_error names the field. */
export const PaymentConfigPatch = Type.Object(
  {
    failure_rate: Type.Optional(Rate("Share of charges declined, 0-1; with timeout_rate at most 1")),
    timeout_rate: Type.Optional(Rate("Share of charges that time out (408), 0-1; with failure_rate at most 1")),
    latency_ms: Type.Optional(
      Ms("A fixed latency before each answer: sets latency_min_ms and latency_max_ms both; not with them"),
    ),
    latency_min_ms: Type.Optional(Ms("Least latency before an answer (drawn uniformly up to latency_max_ms)")),
    latency_max_ms: Type.Optional(Ms("Most latency before an answer, not below latency_min_ms")),
    timeout_delay_ms: Type.Optional(Ms("How long a timing-out charge waits before its 408")),
    timeout_outcome: Type.Optional({
      ...StringEnum(TIMEOUT_OUTCOMES),
      description:
        "What a timeout leaves behind: not_processed (no charge) or processed (a charge the caller never hears of)",
    }),
    seed: Type.Optional({
      ...Seed,
      description: `Seed of the outcome sequence, 0-${MAX_SEED}, for a reproducible run (setting it restarts the sequence); null: a random seed`,
    }),
  },
  { additionalProperties: false },
);
export type PaymentConfigPatch = Static<typeof PaymentConfigPatch>;
