// JSON.parse keeps the last of two members with one name, so `{"user_id":3,"user_id":5}` read as
// 5 where a proxy or a log that keeps the first reads 3: a body means one thing or is refused.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first member name that one object of `text` gives twice, or null. `text` is JSON that
 * parsed; names are compared as decoded ("a" and "\u0061" are one name).
 */
export function repeatedName(text: string): string | null {
  // One entry per open object (its names so far) or array (null).
  const open: (Set<string> | null)[] = [];
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
        if (names.has(name)) return name;
        names.add(name);
        nameNext = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(new Set());
      nameNext = true;
    } else if (c === 0x5b) {
      open.push(null);
      nameNext = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      nameNext = false;
    } else if (c === 0x2c) {
      nameNext = open[open.length - 1] !== null;
    }
  }
  return null;
}
