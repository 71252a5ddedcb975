import { Type } from "@sinclair/typebox";
import { StringEnum } from "../contracts/errors.js";
import { ErrorBody } from "../lib/errors.js";
import { Id } from "../lib/input-schemas.js";
import { TierField } from "./loyalty/schemas.js";
import { ROLES } from "./tokens.js";

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;

export const Username = Type.String({
  pattern: "^[A-Za-z0-9_.-]{3,32}$",
  description: "3-32 letters, digits, _ . or -",
});
export const Password = Type.String({
  minLength: 1,
  maxLength: 256,
  description: "The account's password (up to 256 characters)",
});
export const Email = Type.String({
  pattern: "^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$",
  maxLength: 254,
  format: "text",
  description: "The account's email address (at most 254 characters)",
});
export const RefreshToken = Type.String({
  minLength: 1,
  maxLength: 512,
  description:
    "The latest refresh_token that login or refresh answered; each is used once (refresh answers a new one), logout revokes its login's",
});

export const RegisterBody = Type.Object(
  { username: Username, email: Email, password: Password },
  { additionalProperties: false },
);
export const Registered = Type.Object({ user_id: Id, username: Type.String(), email: Type.String() });

export const LoginBody = Type.Object({ username: Username, password: Password }, { additionalProperties: false });
export const RefreshBody = Type.Object({ refresh_token: RefreshToken }, { additionalProperties: false });

export const ClientCredentialsBody = Type.Object(
  {
    grant_type: Type.Literal("client_credentials", { description: "Always client_credentials" }),
    client_id: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "The calling service's client id, e.g. booking-svc",
    }),
    client_secret: Type.String({
      minLength: 1,
      maxLength: 256,
      description: "The service's client secret (up to 256 characters)",
    }),
  },
  { additionalProperties: false },
);

export const ServiceTokenReply = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal("Bearer"),
  expires_in: Type.Integer(),
});

export const TokenPairReply = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal("Bearer"),
  expires_in: Type.Integer(),
  user_id: Id,
});

export const Account = Type.Object({
  user_id: Id,
  username: Type.String(),
  email: Type.String(),
  role: StringEnum(ROLES),
  created_at: Type.String({ format: "date-time" }),
  /** From the miles earned by flying this calendar year (user-svc/loyalty/tiers.ts). */
  tier: TierField,
});

export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Object(
      {
        kty: Type.String(),
        crv: Type.String(),
        x: Type.String(),
        kid: Type.String(),
        alg: Type.String(),
        use: Type.String(),
      },
      { additionalProperties: false },
    ),
  ),
});
