import { Type } from "@sinclair/typebox";
import { StringEnum } from "../../contracts/errors.js";
import { LoyaltyEntry, MAX_ENTRY_MILES } from "../../contracts/user-svc/loyalty.js";
import { Defaulted, IdOf, Text } from "../../lib/input-schemas.js";
import { TIERS } from "./tiers.js";

export const TierField = StringEnum(TIERS);

export const StatementQuery = Type.Object(
  {
    limit: Defaulted(
      Type.Integer({ minimum: 1, maximum: 100, default: 20, description: "Most entries per page (1-100, default 20)" }),
    ),
    cursor: Type.Optional(
      IdOf(
        "The previous page's next_cursor (the last entry id it listed): the page lists older entries; leave out for the first page",
      ),
    ),
  },
  { additionalProperties: false },
);

export const StatementReply = Type.Object({
  balance: Type.Integer(),
  tier: TierField,
  entries: Type.Array(LoyaltyEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const UserParams = Type.Object({ user_id: IdOf("The user whose miles change") });

export const AdjustBody = Type.Object(
  {
    /** Positive adds, negative takes away; never zero (ledger.ts says so by name). */
    miles: Type.Integer({
      minimum: -MAX_ENTRY_MILES,
      maximum: MAX_ENTRY_MILES,
      description: `Miles to add (positive) or take away (negative), never 0, at most ${MAX_ENTRY_MILES} either way; the balance may not go below 0`,
    }),
    reason: Text(500, "Why the miles change, kept on the entry (at most 500 characters)"),
  },
  { additionalProperties: false },
);
