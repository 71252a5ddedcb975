import { decodeJwt } from "jose";

/**
 * Whose token the tools act with. Over HTTP it is the verified token of the request; over stdio
 * the one given at start (SKYBOOK_TOKEN) or the one the `login` tool got. The user id only names
 * the caller in idempotency keys: the API checks the token itself on every call.
 */
export class Session {
  constructor(
    public token = "",
    public userId = 0,
  ) {}

  /** A session from a token whose signature the API (not this process) checks. */
  static fromToken(token: string): Session {
    if (token === "") return new Session();
    const sub = tokenUser(token);
    if (sub === undefined) throw new Error("SKYBOOK_TOKEN: the token names no user (sub)");
    return new Session(token, sub);
  }

  signIn(token: string, userId: number): void {
    this.token = token;
    this.userId = userId;
  }
}

/** The user id a token names (its `sub`), read without checking the signature; undefined if none. */
export function tokenUser(token: string): number | undefined {
  let sub: number;
  try {
    sub = Number(decodeJwt(token).sub);
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(sub) && sub >= 1 ? sub : undefined;
}
