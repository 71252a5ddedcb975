import { type TSchema, Type } from "@sinclair/typebox";
import { isUtcDate } from "./config-parse.js";
import { toCents } from "./money.js";

// The input rules every service shares, so that a value one service accepts is accepted by the
// services it calls and fits the database column it ends up in.

/**
 * Flight, user and booking ids: 1 to 2^53 - 1. Every such id fits PostgreSQL's bigint and is an
 * exact JavaScript number; a larger JSON number would silently round to a neighbour.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/** An Id that says what it names, for a field a client fills in (the OpenAPI document and MCP tools show it). */
export const IdOf = (description: string) => Type.Integer({ minimum: 1, maximum: MAX_ID, description });

/**
 * A field the client may leave out, which validation fills with the schema's `default`: optional
 * in the OpenAPI document (a client generated from it need not send it), present in the handler's
 * type, since Ajv's useDefaults puts it there before the handler runs.
 */
export const Defaulted = <T extends TSchema>(schema: T): T => Type.Optional(schema) as unknown as T;

/** Travel dates: real calendar days (no 2024-02-30) in this range, which every column holds. */
export const FIRST_DATE = "2000-01-01";
export const LAST_DATE = "2099-12-31";

export function isCalendarDate(v: string): boolean {
  return isUtcDate(v) && v >= FIRST_DATE && v <= LAST_DATE;
}

/** A YYYY-MM-DD travel date (format checked by the "calendar-date" Ajv format below). */
export const CalendarDate = Type.String({ format: "calendar-date" });

/** An amount of money: more than 0, at most `maximum`, at most two decimals. */
export const Money = (maximum: number) => Type.Number({ exclusiveMinimum: 0, maximum, format: "money" });

/**
 * An Idempotency-Key header: printable ASCII without spaces, as it travels in a header and in
 * the keys and columns it is stored under (DESIGN.md invariant 4).
 */
export const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: "^[\\x21-\\x7E]+$",
  description:
    "Optional: a retry with the same key and body gets the first answer and repeats nothing; 1-255 printable ASCII characters",
});
export const IdempotencyHeaders = Type.Object({ "idempotency-key": Type.Optional(IdempotencyKey) });

/**
 * Text a person reads (a name, an airline, a reason): something visible, and no control
 * characters (tab, line break, escape…), which would break the line of a boarding pass, a log or
 * a terminal it is shown on. JSON bodies already refuse NUL and lone surrogates (json-body.ts).
 */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, format: "text", ...(description === undefined ? {} : { description }) });

const CONTROL = /\p{Cc}/u;

export function isText(v: string): boolean {
  return v.trim() !== "" && !CONTROL.test(v);
}

/** What payment-mock accepts, and so what booking-svc lets a booking ask for. */
export const PAYMENT_TYPES = ["credit_card", "debit_card", "upi", "net_banking"] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** Ajv's message for each format above, in the `<field> <message>` style of the error handler. */
export const FORMAT_MESSAGES: Record<string, string> = {
  "calendar-date": `must be a calendar date (YYYY-MM-DD) from ${FIRST_DATE} to ${LAST_DATE}`,
  money: "must have at most two decimals",
  text: "must have a visible character and no control characters (tab, line break…)",
};

interface FormatTarget {
  addFormat(name: string, format: { type: "string"; validate: (v: string) => boolean }): unknown;
  addFormat(name: string, format: { type: "number"; validate: (v: number) => boolean }): unknown;
}

/** Registers the formats with the Ajv instance that validates requests. */
export function inputFormats<A extends FormatTarget>(ajv: A): A {
  ajv.addFormat("calendar-date", { type: "string", validate: isCalendarDate });
  ajv.addFormat("text", { type: "string", validate: isText });
  ajv.addFormat("money", { type: "number", validate: (v) => toCents(v) !== null });
  return ajv;
}
