-- Accounts. username and email are unique without regard to case, so "Ada" cannot shadow "ada".
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text        NOT NULL,
  email         text        NOT NULL,
  password_hash text        NOT NULL,
  role          text        NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin', 'service')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Refresh tokens, stored as SHA-256 of the token. A family is one login: each refresh replaces
-- the family's live token; presenting a replaced one revokes the whole family (a stolen token
-- was used, by the thief or by the owner after the thief).
CREATE TABLE refresh_tokens (
  token_hash  text        PRIMARY KEY,
  family_id   uuid        NOT NULL,
  user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL,
  replaced_at timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
