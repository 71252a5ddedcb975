// users and refresh_tokens in users_db.
import type { Sql } from "../lib/postgres-plugin.js";
import type { Role } from "./tokens.js";

export interface UserRow {
  id: number;
  username: string;
  email: string;
  password_hash: string;
  role: Role;
  created_at: Date;
}

export interface RefreshRow {
  family_id: string;
  user_id: number;
  expired: boolean;
  replaced: boolean;
  revoked: boolean;
}

/** A row as postgres.js returns it: bigint arrives as a string. */
type UserRecord = Omit<UserRow, "id"> & { id: string };

const USER_COLUMNS = "id, username, email, password_hash, role, created_at";

// Ids are bigserial; a JS number holds them exactly up to 2^53 - 1, the ids every service accepts.
const toUser = (r: UserRecord): UserRow => ({ ...r, id: Number(r.id) });

export class UsersRepo {
  constructor(private readonly sql: Sql) {}

  /** The new user, or which unique column ("username" | "email") was taken. */
  async insert(u: { username: string; email: string; passwordHash: string; role: Role }) {
    try {
      const [row] = await this.sql<UserRecord[]>`
        INSERT INTO users (username, email, password_hash, role)
        VALUES (${u.username}, ${u.email}, ${u.passwordHash}, ${u.role})
        RETURNING ${this.sql.unsafe(USER_COLUMNS)}`;
      return { row: toUser(row as UserRecord) };
    } catch (err) {
      const constraint = (err as { constraint_name?: string }).constraint_name;
      if (constraint === "users_username_key") return { taken: "username" as const };
      if (constraint === "users_email_key") return { taken: "email" as const };
      throw err;
    }
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    const [row] = await this.sql<UserRecord[]>`
      SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users WHERE lower(username) = lower(${username})`;
    return row && toUser(row);
  }

  async byId(id: number): Promise<UserRow | undefined> {
    const [row] = await this.sql<UserRecord[]>`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users WHERE id = ${id}`;
    return row && toUser(row);
  }

  /**
   * Also revokes every refresh token of the account, in the same statement: a password reset is
   * how an operator takes an account back, and a login from before it (a thief's) refreshed on.
   */
  async setPasswordAndRole(id: number, passwordHash: string, role: Role): Promise<void> {
    await this.sql`
      WITH account AS (
        UPDATE users SET password_hash = ${passwordHash}, role = ${role}, updated_at = now() WHERE id = ${id}
        RETURNING id)
      UPDATE refresh_tokens SET revoked_at = now()
      WHERE user_id IN (SELECT id FROM account) AND revoked_at IS NULL`;
  }

  async addRefresh(hash: string, familyId: string, userId: number, ttlSeconds: number): Promise<void> {
    await this.sql`
      INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)
      VALUES (${hash}, ${familyId}, ${userId}, now() + make_interval(secs => ${ttlSeconds}))`;
  }

  /**
   * Marks a live refresh token replaced and returns it as it was, in one statement, so two
   * concurrent refreshes with the same token cannot both succeed: the loser sees it replaced.
   * A token is revoked when any token of its family is: a logout or a reuse that revoked the
   * family while a refresh was storing its new token missed that row, which then lived on.
   */
  async takeRefresh(hash: string): Promise<RefreshRow | undefined> {
    const [row] = await this.sql<(Omit<RefreshRow, "user_id"> & { user_id: string })[]>`
      WITH old AS (SELECT * FROM refresh_tokens WHERE token_hash = ${hash} FOR UPDATE)
      UPDATE refresh_tokens r SET replaced_at = COALESCE(r.replaced_at, now())
      FROM old WHERE r.token_hash = old.token_hash
      RETURNING old.family_id::text AS family_id, old.user_id,
        old.expires_at <= now() AS expired, old.replaced_at IS NOT NULL AS replaced,
        EXISTS (
          SELECT 1 FROM refresh_tokens f WHERE f.family_id = old.family_id AND f.revoked_at IS NOT NULL
        ) AS revoked`;
    return row && { ...row, user_id: Number(row.user_id) };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.sql`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${familyId} AND revoked_at IS NULL`;
  }

  /**
   * Deletes the refresh tokens that can no longer answer anything but 401: an expired one says
   * no more when missing, except a revoked one while its family has a token not yet expired (a
   * token stored while the family was revoked is refused only because a revoked one is there).
   * Without it every login and every refresh left a row for good.
   */
  async pruneRefresh(): Promise<number> {
    const gone = await this.sql`
      DELETE FROM refresh_tokens r
      WHERE r.expires_at <= now()
        AND (r.revoked_at IS NULL
          OR NOT EXISTS (SELECT 1 FROM refresh_tokens f WHERE f.family_id = r.family_id AND f.expires_at > now()))`;
    return gone.count;
  }

  async familyOf(hash: string): Promise<string | undefined> {
    const [row] = await this.sql<{ family_id: string }[]>`
      SELECT family_id::text AS family_id FROM refresh_tokens WHERE token_hash = ${hash}`;
    return row?.family_id;
  }
}
