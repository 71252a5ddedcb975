import { Type } from "@sinclair/typebox";
import { StringEnum } from "../../contracts/errors.js";
import { LoyaltyEntry, MAX_ENTRY_MILES } from "../../contracts/user-svc/loyalty.js";
import { Defaulted, Id, Text } from "../../lib/input-schemas.js";
import { TIERS } from "./tiers.js";

export const TierField = StringEnum(TIERS);

export const StatementQuery = Type.Object(
  {
    limit: Defaulted(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    /** The last entry id of the previous page (its next_cursor). */
    cursor: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const StatementReply = Type.Object({
  balance: Type.Integer(),
  tier: TierField,
  entries: Type.Array(LoyaltyEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const UserParams = Type.Object({ user_id: Id });

/** An admin's retry with the same key, for the same account, is the same adjustment. */
export const AdjustHeaders = Type.Object({
  "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7E]+$" })),
});

export const AdjustBody = Type.Object(
  {
    /** Positive adds, negative takes away; never zero (ledger.ts says so by name). */
    miles: Type.Integer({ minimum: -MAX_ENTRY_MILES, maximum: MAX_ENTRY_MILES }),
    reason: Text(500),
  },
  { additionalProperties: false },
);
