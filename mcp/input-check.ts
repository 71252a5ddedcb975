import type { TObject } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { detailOf, fieldOf } from "../lib/errors.js";
import { inputFormats } from "../lib/input-schemas.js";
import { DECIMAL, notDecimal } from "../lib/strict-input.js";

// Arguments are checked against the tool's input schema before anything is called, with the
// same formats the services use, so a path never carries a value the route would refuse, and a
// refusal names the field and words it as the route would (`seats[0].seat is required`).

const ajv = inputFormats(new Ajv({ allErrors: false, strict: false, useDefaults: true }));
const compiled = new WeakMap<TObject, ValidateFunction>();

type Problem = { field: string; message: string };

/**
 * A query string's integers arrive as text, and its routes take them so (lib/strict-input.ts):
 * `next_cursor` is answered as a string ("2") and given back as `cursor`. A tool whose arguments
 * are a route's query takes an integer field as a number or as that text, refused in the route's
 * words when the text is not canonical decimal digits.
 */
function integersFromText(schema: TObject, args: Record<string, unknown>): Problem | null {
  for (const [field, property] of Object.entries(schema.properties)) {
    const v = args[field];
    if (property.type !== "integer" || typeof v !== "string") continue;
    if (!DECIMAL.test(v)) return { field, message: notDecimal(field) };
    args[field] = Number(v);
  }
  return null;
}

/**
 * null when `args` fit `schema` (its defaults filled in); else the first problem, naming the field.
 * `query`: the arguments are a route's query string, whose integers may come as decimal text.
 */
export function inputProblem(schema: TObject, args: unknown, query = false): Problem | null {
  if (query && args !== null && typeof args === "object" && !Array.isArray(args)) {
    const problem = integersFromText(schema, args as Record<string, unknown>);
    if (problem) return problem;
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(args)) return null;
  const e = validate.errors?.[0];
  const field = fieldOf(e) || "arguments";
  return { field, message: `${field} ${detailOf(e)}` };
}
