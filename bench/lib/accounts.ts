// The auth workload's customers (bench/system.bench.ts): registered and logged in as a client would.
import type { Account } from "./load-spec.js";

/** `count` new customer accounts at user-svc, each logged in once: its user id and access token. */
export async function accountsAt(userSvc: string, count: number): Promise<Account[]> {
  const accounts: Account[] = [];
  const password = `Bench-${process.pid}-pass-phrase`;
  for (let i = 0; i < count; i++) {
    const username = `bench${process.pid}u${i}`;
    const json = { "content-type": "application/json" };
    const reg = await fetch(`${userSvc}/api/auth/register`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username, email: `${username}@bench.example`, password }),
    });
    if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${await reg.text()}`);
    const login = await fetch(`${userSvc}/api/auth/login`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username, password }),
    });
    const t = (await login.json()) as { access_token: string; user_id: number };
    if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(t)}`);
    accounts.push({ user_id: t.user_id, token: t.access_token });
  }
  return accounts;
}
