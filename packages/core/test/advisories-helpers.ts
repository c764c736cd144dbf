import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { zipSync } from "fflate";
import { uid } from "./helpers.ts";

// Advisories are instance-wide (no organization to isolate tests), so every test renames the fixture
// records with its own suffix: "GHSA-mhpp-875w-9cpv" → "GHSA-mhpp-875w-9cpv-<tag>". The files under
// fixtures/osv/ stay exactly as copied (see NOTICE); variants are built in memory.

export type OsvRecord = Record<string, unknown> & { id: string; modified: string };

const FIXTURES = new URL("./fixtures/osv/", import.meta.url);
export const FIXTURE_FILES = ["osv-schema__npm_greater_than.osv.json", "CVE-2022-27449.json", "DSA-3029-1.json"] as const;

export function fixtureRecord(file: (typeof FIXTURE_FILES)[number], tag: string): OsvRecord {
  const record = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as OsvRecord;
  return { ...record, id: `${record.id}-${tag}` };
}

export function fixtureSet(tag = uid()) {
  return {
    tag,
    ghsa: fixtureRecord("osv-schema__npm_greater_than.osv.json", tag),
    mariadb: fixtureRecord("CVE-2022-27449.json", tag),
    dsa: fixtureRecord("DSA-3029-1.json", tag),
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "bulwark-adv-test-"));
}

/** Writes files (path → JSON value or raw text/bytes) under a new temp directory. */
export function writeTree(files: Record<string, unknown>, root = tempDir()): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === "string" || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

/** A zip of name → JSON value (or raw text). */
export function zipOf(entries: Record<string, unknown>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(entries)) {
    files[name] = content instanceof Uint8Array ? content : new TextEncoder().encode(typeof content === "string" ? content : JSON.stringify(content));
  }
  return zipSync(files, { level: 6 });
}

/** A later modification time than `iso`, as OSV writes it. */
export function later(iso: string, days = 1): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}
