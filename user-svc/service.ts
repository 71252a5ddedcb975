// What user-svc does, one method per use case; routes call one of these.
import { randomUUID } from "node:crypto";
import { AppError } from "../lib/errors.js";
import type { Sql } from "../lib/postgres-plugin.js";
import type { RedisClient } from "../lib/redis-plugin.js";
import { createAccount, type NewAccount } from "./accounts.js";
import type { UserConfig } from "./config.js";
import type { SigningKey } from "./keys.js";
import { clearUsernameAttempts, countLoginAttempt } from "./login-limit.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { newRefreshToken, type Role, refreshTokenHash, signAccessToken } from "./tokens.js";
import { type UserRow, UsersRepo } from "./users-repo.js";

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  user_id: number;
}

export const accountView = (u: UserRow) => ({
  user_id: u.id,
  username: u.username,
  email: u.email,
  role: u.role,
  created_at: u.created_at.toISOString(),
});

export class UserService {
  private readonly repo: UsersRepo;
  // Compared against when the username is unknown, so a miss costs as long as a wrong password.
  private readonly dummyHash: Promise<string>;

  constructor(
    sql: Sql,
    private readonly redis: RedisClient,
    private readonly key: SigningKey,
    private readonly settings: UserConfig["user"],
  ) {
    this.repo = new UsersRepo(sql);
    this.dummyHash = hashPassword(newRefreshToken(), settings.scryptCost);
  }

  register(input: NewAccount): Promise<UserRow> {
    return createAccount(this.repo, input, "customer", this.settings.scryptCost);
  }

  async login(username: string, password: string, address: string): Promise<TokenPair> {
    await countLoginAttempt(
      this.redis,
      { attempts: this.settings.loginAttempts, windowSeconds: this.settings.loginWindowSeconds },
      username,
      address,
    );
    const user = await this.repo.byUsername(username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.dummyHash));
    if (!user || !ok) throw new AppError("invalid_credentials");
    await clearUsernameAttempts(this.redis, username);
    return this.issue(user.id, user.role, randomUUID());
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const old = await this.repo.takeRefresh(refreshTokenHash(refreshToken));
    if (!old || old.revoked || old.expired) throw new AppError("invalid_refresh_token");
    if (old.replaced) {
      await this.repo.revokeFamily(old.family_id);
      throw new AppError(
        "invalid_refresh_token",
        "The refresh token was already used; every token of this login is revoked, log in again.",
      );
    }
    const user = await this.repo.byId(old.user_id);
    if (!user) throw new AppError("invalid_refresh_token");
    return this.issue(user.id, user.role, old.family_id);
  }

  /** Ends the login the token belongs to; an unknown token is already logged out. */
  async logout(refreshToken: string): Promise<void> {
    const family = await this.repo.familyOf(refreshTokenHash(refreshToken));
    if (family) await this.repo.revokeFamily(family);
  }

  async account(userId: number): Promise<UserRow> {
    const user = await this.repo.byId(userId);
    if (!user) throw new AppError("unauthorized", "The account of this token no longer exists.");
    return user;
  }

  private async issue(userId: number, role: Role, familyId: string): Promise<TokenPair> {
    const refresh = newRefreshToken();
    await this.repo.addRefresh(refreshTokenHash(refresh), familyId, userId, this.settings.refreshTtlSeconds);
    return {
      access_token: await signAccessToken(this.key, this.settings, userId, role),
      refresh_token: refresh,
      token_type: "Bearer",
      expires_in: this.settings.accessTtlSeconds,
      user_id: userId,
    };
  }
}
