import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

// The last good bundle on disk, so an enforcer restarted while central is unreachable still enforces.
// Written atomically (temporary file, fsync, rename, fsync of the directory): a crash mid-write
// leaves the previous file, never half a bundle. What is read back is verified again before use.

export const BUNDLE_FILE = "bundle.json";

export async function writeStoredBundle(dir: string, bundle: unknown): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, BUNDLE_FILE);
  const temp = path.join(dir, `.${BUNDLE_FILE}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(JSON.stringify(bundle));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  // Make the rename itself durable; not every filesystem lets a directory be opened for this.
  try {
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* best effort */
  }
}

export type StoredBundle = { found: false } | { found: true; raw: unknown } | { found: true; error: string };

/** The stored bundle as JSON (unverified), none, or why it cannot be read. */
export async function readStoredBundle(dir: string): Promise<StoredBundle> {
  let text: string;
  try {
    text = await readFile(path.join(dir, BUNDLE_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { found: false };
    return { found: true, error: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    return { found: true, raw: JSON.parse(text) as unknown };
  } catch {
    return { found: true, error: "is not JSON" };
  }
}
