// A secret made at first start and shared through a file: every instance and every worker of a
// service (lib/workers.ts) may start at the same moment, and all of them must end up with the
// same content. A file created in place with O_EXCL is visible empty until its bytes are written,
// so a process that lost the race could read nothing; the content is written aside and linked in
// whole instead (link(2) fails when the name exists, and the name never shows a partial file).
import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** The file's content, or the content of `make()` written there when there is no file yet. */
export async function readOrCreateFile(path: string, make: () => string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if (errCode(err) !== "ENOENT") throw err;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const content = make();
  const aside = `${path}.${randomUUID()}.tmp`;
  await writeFile(aside, content, { mode: 0o600 });
  try {
    await link(aside, path);
    return content;
  } catch (err) {
    if (errCode(err) !== "EEXIST") throw err;
    return await readFile(path, "utf8");
  } finally {
    await unlink(aside);
  }
}
