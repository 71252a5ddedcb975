import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { readOrCreateFile } from "../../lib/key-file.js";

// Content written in several chunks (fs writes 512 KiB at a time), as with a file created in
// place: the window a racing reader could fall into. Created with O_EXCL in place, every round fails.
t.test("callers racing to make a key file all get the one written, never an empty or partial one", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "skybook-key-file-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (let round = 0; round < 2; round++) {
    const path = join(dir, `round-${round}`, "secret");
    const got = await Promise.all(
      Array.from({ length: 20 }, () => readOrCreateFile(path, () => randomBytes(3 * 1024 * 1024).toString("base64"))),
    );
    t.equal(new Set(got).size, 1, `round ${round}: one content for everyone`);
    t.equal(got[0]?.length, 4_194_304, `round ${round}: the whole content`);
    t.same(await readdir(join(dir, `round-${round}`)), ["secret"], `round ${round}: nothing left aside`);
    t.equal((await stat(path)).mode & 0o777, 0o600, "readable by its owner only");
  }
  t.equal(
    await readOrCreateFile(join(dir, "round-0", "secret"), () => "other"),
    await readOrCreateFile(join(dir, "round-0", "secret"), () => "x"),
    "an existing file is read, not replaced",
  );
});
