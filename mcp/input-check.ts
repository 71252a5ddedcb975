import type { TObject } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { detailOf, fieldOf } from "../lib/errors.js";
import { inputFormats } from "../lib/input-schemas.js";

// Arguments are checked against the tool's input schema before anything is called, with the
// same formats the services use, so a path never carries a value the route would refuse, and a
// refusal names the field and words it as the route would (`seats[0].seat is required`).

const ajv = inputFormats(new Ajv({ allErrors: false, strict: false, useDefaults: true }));
const compiled = new WeakMap<TObject, ValidateFunction>();

/** null when `args` fit `schema` (its defaults filled in); else the first problem, naming the field. */
export function inputProblem(schema: TObject, args: unknown): { field: string; message: string } | null {
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
