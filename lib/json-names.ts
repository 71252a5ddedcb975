// JSON.parse keeps the last of two members with one name, so `{"user_id":3,"user_id":5}` read as
// 5 where a proxy or a log that keeps the first reads 3: a body means one thing or is refused.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The path of the first member name that one object of `text` gives twice, or null, in the
 * error handler's notation (`passengers[0].name`, errors.ts fieldOf). `text` is JSON that parsed;
 * names are compared as decoded ("a" and "\u0061" are one name).
 */
export function repeatedName(text: string): string | null {
  // Per open object its names so far, per open array null; and where in it the scan is: the
  // object's current name, the array's current index. The path is built only for a repeat.
  const open: (Set<string> | null)[] = [];
  const at: (string | number)[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (let d = text.charCodeAt(end); d !== QUOTE; d = text.charCodeAt(end)) {
        if (d === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      const names = open[open.length - 1];
      if (nameNext && names) {
        const name: string = escaped ? JSON.parse(text.slice(i, end + 1)) : text.slice(i + 1, end);
        if (names.has(name)) return pathOf(at, name);
        names.add(name);
        at[at.length - 1] = name;
        nameNext = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(new Set());
      at.push("");
      nameNext = true;
    } else if (c === 0x5b) {
      open.push(null);
      at.push(0);
      nameNext = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      at.pop();
      nameNext = false;
    } else if (c === 0x2c) {
      const top = at.length - 1;
      if (open[top] === null) at[top] = (at[top] as number) + 1;
      nameNext = open[top] !== null;
    }
  }
  return null;
}

/** `name` inside the containers of `at` (the innermost, whose name it is, last and not a step). */
function pathOf(at: (string | number)[], name: string): string {
  let path = "";
  for (let i = 0; i < at.length - 1; i++) {
    const step = at[i] as string | number;
    path += typeof step === "number" ? `[${step}]` : `.${step}`;
  }
  return `${path}.${name}`.replace(/^\./, "");
}
