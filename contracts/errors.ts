import { type Static, type TSchema, Type } from "@sinclair/typebox";

/**
 * Every error a service answers: a machine code from lib/errors.ts's catalogue, a sentence for a
 * person, `field` on a 400, and details a call documents (flight_id, hold_id, ...).
 */
export const ErrorReply = Type.Object(
  { error: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) },
  { additionalProperties: true },
);
export type ErrorReply = Static<typeof ErrorReply>;

/** An enum as `enum` rather than anyOf: Ajv then says "must be equal to one of the allowed values". */
export function StringEnum<T extends string>(values: readonly T[]) {
  return Type.Unsafe<T>({ type: "string", enum: [...values] });
}

/**
 * The errors a call documents, as the consumer reads them: `codes` are the catalogue codes it
 * must handle (any other error is unexpected), `details` the fields they carry.
 */
export function Refusal<const Code extends string, Details extends Record<string, TSchema>>(
  codes: readonly Code[],
  details: Details,
) {
  return Type.Object({
    error: StringEnum(codes),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    ...details,
  });
}
