import { generateKeyPairSync } from "node:crypto";
import t from "tap";
import { type PassPayload, signPass, verifyBarcode } from "../../../booking-svc/check-in/boarding-pass.js";

// A gate checks a barcode offline with the public key: a genuine one passes, a changed byte or
// another key's signature does not.

const mine = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const payload: PassPayload = {
  id: "BP-7-0a1b2c3d4e5f6789-3-1",
  booking_id: 7,
  flight_id: 3,
  flight_number: "AI101",
  passenger: "Asha Rao",
  seat: "12C",
  sequence: 4,
  departure_time: "2026-03-01T12:00:00.000Z",
  boarding_time: "2026-03-01T11:30:00.000Z",
};

t.test("a genuine barcode verifies and carries the pass; signing again gives the same barcode", async (t) => {
  const pass = signPass(payload, mine.privateKey);
  t.same(verifyBarcode(pass.barcode, mine.publicKey), { valid: true, pass: payload });
  t.equal(signPass(payload, mine.privateKey).barcode, pass.barcode, "Ed25519 is deterministic");
  t.match(pass, {
    boarding_pass_id: "BP-7-0a1b2c3d4e5f6789-3-1",
    seat: "12C",
    sequence: 4,
    boarding_time: payload.boarding_time,
  });
});

t.test("a tampered payload or signature is refused", async (t) => {
  const { barcode } = signPass(payload, mine.privateKey);
  const [prefix, body, sig] = barcode.split(".") as [string, string, string];
  const upgraded = Buffer.from(JSON.stringify({ ...payload, seat: "1A" })).toString("base64url");
  t.same(verifyBarcode(`${prefix}.${upgraded}.${sig}`, mine.publicKey), { valid: false, reason: "bad_signature" });
  const bytes = Buffer.from(sig, "base64url");
  bytes[10] = (bytes[10] as number) ^ 1;
  const flipped = bytes.toString("base64url");
  t.same(verifyBarcode(`${prefix}.${body}.${flipped}`, mine.publicKey), { valid: false, reason: "bad_signature" });
  // 64 bytes take 86 characters, the last carrying 4 spare bits the decoder ignores: another
  // spelling of the same signature is not the pass's barcode.
  const last = sig.at(-1) as string;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const spare = alphabet[alphabet.indexOf(last) ^ 1] as string;
  const respelt = `${sig.slice(0, -1)}${spare}`;
  t.same(Buffer.from(respelt, "base64url"), Buffer.from(sig, "base64url"), "the same bytes");
  t.same(verifyBarcode(`${prefix}.${body}.${respelt}`, mine.publicKey), { valid: false, reason: "malformed" });
});

t.test("another key's barcode is refused, and so is one signed by another key for this key's holder", async (t) => {
  const forged = signPass(payload, other.privateKey);
  t.same(verifyBarcode(forged.barcode, mine.publicKey), { valid: false, reason: "bad_signature" });
  t.same(verifyBarcode(signPass(payload, mine.privateKey).barcode, other.publicKey), {
    valid: false,
    reason: "bad_signature",
  });
});

t.test("what is not a barcode at all is malformed", async (t) => {
  for (const bad of ["", "SB1", "SB1.a", "XX1.a.b", "SB1.a.b.c"]) {
    t.same(verifyBarcode(bad, mine.publicKey), { valid: false, reason: "malformed" }, JSON.stringify(bad));
  }
});
