// Password hashing with scrypt (memory-hard), stored as scrypt$N$r$p$salt$hash so the cost can
// rise later without breaking stored hashes. Compared with timingSafeEqual.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: N × r × 128 bytes, plus slack, or Node refuses costs above its 32 MiB default.
    const maxmem = 256 * (options.N ?? 0) * (options.r ?? 8) + 1024 * 1024;
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// One password typed on two keyboards can arrive as two code point sequences ("é" as one, or as
// "e" and a combining accent): both are hashed and compared in NFC, as RFC 8265's OpaqueString
// profile does, so the account opens from either.
function normalized(password: string): string {
  return password.normalize("NFC");
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(normalized(password), salt, { N: cost, r: 8, p: 1 });
  return ["scrypt", cost, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  const matches = async (form: string) => {
    const key = await derive(form, Buffer.from(salt, "base64url"), options);
    return key.length === expected.length && timingSafeEqual(key, expected);
  };
  const nfc = normalized(password);
  if (await matches(nfc)) return true;
  // Hashes stored before passwords were normalised hold the password as it was sent.
  return nfc !== password && matches(password);
}

/**
 * Why a password is too weak, or null: at least 10 characters (code points of its NFC form, so an
 * emoji is one and "é" one however it was typed), of at least 3 different ones.
 */
export function passwordWeakness(password: string, username: string): string | null {
  const characters = [...normalized(password)];
  if (characters.length < 10) return "password must be at least 10 characters long";
  if (new Set(characters).size < 3) return "password must use at least 3 different characters";
  if (password.toLowerCase().includes(username.toLowerCase())) return "password must not contain the username";
  return null;
}
