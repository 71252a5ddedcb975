import { ErrorBody } from "../lib/errors.js";

// What booking-svc and the stress harness call is in contracts/payment-mock/.

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
