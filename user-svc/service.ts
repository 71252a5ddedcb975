// What user-svc does, one method per use case; routes call one of these.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { SERVICE_CLIENT_ID } from "../lib/auth/service-secret.js";
import { AppError } from "../lib/errors.js";
import type { Sql } from "../lib/postgres-plugin.js";
import { createAccount, type NewAccount } from "./accounts.js";
import type { UserConfig } from "./config.js";
import type { SigningKey } from "./keys.js";
import { clearUsernameAttempts, countLoginAttempt } from "./login-limit.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { checkClient, ensureServiceAccount } from "./service-client.js";
import { newRefreshToken, type Role, refreshTokenHash, signAccessToken } from "./tokens.js";
import { type UserRow, UsersRepo } from "./users-repo.js";

export interface ServiceTokenReply {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

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
  private serviceUserId: Promise<number> | undefined;

  constructor(
    sql: Sql,
    private readonly redis: Redis,
    private readonly key: SigningKey,
    private readonly settings: UserConfig["user"],
    /** What booking-svc presents for its service token (lib/auth/service-secret.ts). */
    private readonly serviceSecret: string,
  ) {
    this.repo = new UsersRepo(sql);
    this.dummyHash = hashPassword(newRefreshToken(), settings.scryptCost);
  }

  register(input: NewAccount): Promise<UserRow> {
    // Kept for booking-svc's service account, which is made only on its first grant.
    if (input.username.toLowerCase() === SERVICE_CLIENT_ID) {
      throw new AppError("username_taken", undefined, { field: "username" });
    }
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
    // A service account has no password; its tokens come from the client-credentials grant alone.
    if (!user || !ok || user.role === "service") throw new AppError("invalid_credentials");
    await clearUsernameAttempts(this.redis, username);
    return this.issue(user.id, user.role, randomUUID());
  }

  /** The client-credentials grant: a service token, and no refresh token (the client asks again). */
  async clientToken(clientId: string, secret: string): Promise<ServiceTokenReply> {
    checkClient(clientId, secret, this.serviceSecret);
    // Made on the first grant, not at start: an instance that never serves booking-svc adds no account.
    this.serviceUserId ??= ensureServiceAccount(this.repo).catch((err) => {
      this.serviceUserId = undefined;
      throw err;
    });
    return {
      access_token: await signAccessToken(this.key, this.settings, await this.serviceUserId, "service"),
      token_type: "Bearer",
      expires_in: this.settings.accessTtlSeconds,
    };
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
