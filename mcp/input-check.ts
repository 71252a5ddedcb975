import type { TObject } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { FORMAT_MESSAGES, inputFormats } from "../lib/input-schemas.js";

// Arguments are checked against the tool's input schema before anything is called, with the
// same formats the services use, so a path never carries a value the route would refuse.

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
  const missing = e?.params && "missingProperty" in e.params ? `/${e.params.missingProperty}` : "";
  const extra = e?.params && "additionalProperty" in e.params ? `/${e.params.additionalProperty}` : "";
  const field = `${e?.instancePath ?? ""}${missing}${extra}`.replace(/^\//, "").replaceAll("/", ".") || "arguments";
  const format = e?.keyword === "format" ? FORMAT_MESSAGES[String(e.params.format)] : undefined;
  return { field, message: `${field} ${format ?? e?.message ?? "is not valid"}` };
}
