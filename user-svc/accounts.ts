// Making and changing accounts: the register route and the operator's `make user` both go here.
import { AppError, validationError } from "../lib/errors.js";
import { hashPassword, passwordWeakness } from "./passwords.js";
import type { Role } from "./tokens.js";
import type { UserRow, UsersRepo } from "./users-repo.js";

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

export async function createAccount(
  repo: UsersRepo,
  input: NewAccount,
  role: Role,
  scryptCost: number,
): Promise<UserRow> {
  const weak = passwordWeakness(input.password, input.username);
  if (weak) throw validationError("password", weak);
  const passwordHash = await hashPassword(input.password, scryptCost);
  const result = await repo.insert({ username: input.username, email: input.email, passwordHash, role });
  if (result.taken === "username") throw new AppError("username_taken", undefined, { field: "username" });
  if (result.taken === "email") throw new AppError("email_taken", undefined, { field: "email" });
  return result.row as UserRow;
}

/**
 * Creates the account (a customer unless `role` says), or sets the password of the one with this
 * username and, when `role` is given, its role: an operator resetting an admin's password must
 * not demote it by leaving the role out.
 */
export async function upsertAccount(repo: UsersRepo, input: NewAccount, role: Role | undefined, scryptCost: number) {
  const existing = await repo.byUsername(input.username);
  if (!existing) return { created: true, user: await createAccount(repo, input, role ?? "customer", scryptCost) };
  const weak = passwordWeakness(input.password, input.username);
  if (weak) throw validationError("password", weak);
  const kept = role ?? existing.role;
  await repo.setPasswordAndRole(existing.id, await hashPassword(input.password, scryptCost), kept);
  return { created: false, user: { ...existing, role: kept } };
}
