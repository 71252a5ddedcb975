import { createHash, type KeyObject, sign, verify } from "node:crypto";

// A boarding pass's barcode is "SB1.<payload>.<signature>": the payload is the pass as JSON in
// base64url, the signature Ed25519 over the bytes "SB1.<payload>". A gate holding the public key
// (GET /api/boarding-passes/public-key) checks it offline with verifyBarcode. Ed25519 signatures
// are deterministic, so the same pass always has the same barcode (a repeated check-in answers
// the same passes). Whether the pass still stands (not cancelled, seat not changed since) is an
// online question: POST /api/boarding-passes/verify.

const PREFIX = "SB1";

/** What a barcode carries. */
export interface PassPayload {
  /** boarding_pass_id */
  id: string;
  booking_id: number;
  flight_id: number;
  flight_number: string;
  passenger: string;
  seat: string;
  sequence: number;
  departure_time: string;
  boarding_time: string;
}

export interface BoardingPass {
  boarding_pass_id: string;
  passenger: string;
  flight_id: number;
  flight_number: string;
  seat: string;
  boarding_time: string;
  sequence: number;
  barcode: string;
}

/**
 * A pass's id: one per passenger, booking and flight, the same at every check-in. The booking is
 * named by its ref (contracts/flight-svc/booking-ref.ts), as its seats are: a booking given an old
 * booking's id (bookings_db restored or reset) never holds a pass id of that one's.
 */
export function boardingPassId(ref: string, flightId: number, passenger: number): string {
  return `BP-${ref}-${flightId}-${passenger + 1}`;
}

/**
 * The id a pass issued before pass ids named the booking's ref carries, "BP-<id>-<flight>-<n>". Such
 * a pass still stands while its seat and sequence are the booking's: a flight never gives a
 * sequence twice, so no booking given its booking's id again holds that seat with that sequence.
 */
export function idBeforeRefs(id: string): string {
  return id.replace(/^(BP-[0-9]+)-[0-9a-f]{16}-/, "$1-");
}

export function signPass(p: PassPayload, key: KeyObject): BoardingPass {
  const body = `${PREFIX}.${Buffer.from(JSON.stringify(p)).toString("base64url")}`;
  const signature = sign(null, Buffer.from(body), key).toString("base64url");
  return {
    boarding_pass_id: p.id,
    passenger: p.passenger,
    flight_id: p.flight_id,
    flight_number: p.flight_number,
    seat: p.seat,
    boarding_time: p.boarding_time,
    sequence: p.sequence,
    barcode: `${body}.${signature}`,
  };
}

export type Verdict = { valid: true; pass: PassPayload } | { valid: false; reason: "malformed" | "bad_signature" };

/** Checks a barcode offline against the public key: the signature, then the payload's shape. */
export function verifyBarcode(barcode: string, publicKey: KeyObject): Verdict {
  const parts = barcode.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return { valid: false, reason: "malformed" };
  const [, payload, signature] = parts as [string, string, string];
  const signed = Buffer.from(`${PREFIX}.${payload}`);
  // The decoder ignores the last character's spare bits, so several strings decode to one
  // signature: only its one canonical spelling is accepted, so that a pass has one barcode.
  const sigBytes = Buffer.from(signature, "base64url");
  if (sigBytes.toString("base64url") !== signature) return { valid: false, reason: "malformed" };
  let ok = false;
  try {
    ok = verify(null, signed, publicKey, sigBytes);
  } catch {
    return { valid: false, reason: "malformed" };
  }
  if (!ok) return { valid: false, reason: "bad_signature" };
  try {
    const pass = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as PassPayload;
    if (typeof pass.id !== "string" || typeof pass.seat !== "string" || typeof pass.flight_id !== "number") {
      return { valid: false, reason: "malformed" };
    }
    return { valid: true, pass };
  } catch {
    return { valid: false, reason: "malformed" };
  }
}

/** A short id of a public key, so a gate can tell which key signed (after a rotation). */
export function keyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64url").slice(0, 16);
}
