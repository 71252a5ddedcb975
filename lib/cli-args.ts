// Command-line flags read with node's parseArgs, shared by the scripts an operator types.

/**
 * `--days -3` as `--days=-3` for every flag that takes a value: node's parser takes a value
 * starting with a dash for a flag and refuses it as "ambiguous", which names no range; the
 * script's own check of the value ("expected an integer from 1 to 366") says what is wanted.
 */
export function joinNegativeValues(
  argv: readonly string[],
  options: Record<string, { type: "string" | "boolean"; short?: string }>,
): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (takesValue.has(a) && next !== undefined && /^-\d/.test(next)) {
      args.push(a.startsWith("--") ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else args.push(a);
  }
  return args;
}
