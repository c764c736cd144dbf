import { createWriteStream } from "node:fs";
import { mkdtemp, open, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { type ReadableStream as WebReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { AppError } from "../errors.ts";

// Where OSV records come from: a directory (JSON files and OSV zips, recursively), one zip, one JSON file
// (a record or an array of records), or an http(s) URL of an OSV ecosystem export
// (https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip). Everything is read as a
// stream of { origin, text } items; a broken file or zip entry becomes an issue item and reading goes
// on, so one bad file never costs the rest of a feed.
//
// Zips are hostile input (a feed mirror may be compromised): entries are never written to disk, each is
// bounded before it is opened (declared size) and while it is read (actual size, yauzl's
// validateEntrySizes), and a whole source is bounded in entries and in uncompressed bytes.

export type SourceItem = { origin: string; text: string } | { origin: string; message: string };

export interface SourceLimits {
  /** One JSON entry inside a zip (OSV records are a few KB; the largest known are well under 1 MB). */
  maxEntryBytes: number;
  /** One JSON file on disk: may hold an array of records. */
  maxFileBytes: number;
  /** Uncompressed JSON read from one source, across all zips and files. */
  maxTotalBytes: number;
  /** Zip entries looked at in one source. */
  maxEntries: number;
  /** A downloaded feed file. */
  maxDownloadBytes: number;
  /** Whole download, headers to last byte. */
  downloadTimeoutMs: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxEntryBytes: 5 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxEntries: 1_000_000,
  maxDownloadBytes: 1024 * 1024 * 1024,
  downloadTimeoutMs: 15 * 60 * 1000,
};

export type FetchLike = (url: string, init: { headers: Record<string, string>; signal: AbortSignal; redirect: "follow" }) => Promise<Response>;

export interface OpenSourceOptions {
  limits?: Partial<SourceLimits>;
  fetchImpl?: FetchLike;
  /** Validators of the last download: a URL that answers 304 is not downloaded again. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface OpenedSource {
  kind: "url" | "directory" | "zip" | "json";
  /** The server answered 304 Not Modified: there is nothing to read. */
  notModified: boolean;
  /** Validators of this download, to send next time (URLs only). */
  etag: string | null;
  lastModified: string | null;
  items(): AsyncGenerator<SourceItem>;
  /** Removes the downloaded temp file; safe to call more than once. */
  close(): Promise<void>;
}

export function isUrlLocation(location: string): boolean {
  return /^https?:\/\//i.test(location.trim());
}

/** Opens a source: downloads a URL (conditionally) or checks that a path exists. Throws when it cannot. */
export async function openAdvisorySource(location: string, opts: OpenSourceOptions = {}): Promise<OpenedSource> {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...opts.limits };
  const budget = new Budget(limits);
  if (isUrlLocation(location)) return openUrl(location.trim(), limits, budget, opts);
  const path = location;
  const info = await stat(path).catch(() => null);
  if (!info) throw new AppError("NOT_FOUND", `${path} does not exist or cannot be read`);
  const nothing = async () => {};
  if (info.isDirectory()) return { kind: "directory", notModified: false, etag: null, lastModified: null, items: () => bounded(readDirectory(path, budget), basename(path)), close: nothing };
  if (!info.isFile()) throw new AppError("BAD_REQUEST", `${path} is neither a file nor a directory`);
  const zip = await looksLikeZip(path);
  return { kind: zip ? "zip" : "json", notModified: false, etag: null, lastModified: null, items: () => bounded(readFileItems(path, basename(path), zip, budget), basename(path)), close: nothing };
}

/** Reads every item of a source (convenience over openAdvisorySource, for callers that need no validators). */
export async function* readAdvisorySource(location: string, opts: OpenSourceOptions = {}): AsyncGenerator<SourceItem> {
  const source = await openAdvisorySource(location, opts);
  try {
    if (!source.notModified) yield* source.items();
  } finally {
    await source.close();
  }
}

/** The newest change (mtime or ctime) under a path: ctime catches files copied with their old mtime kept (rsync -t, cp -p). */
export async function latestChange(path: string): Promise<Date> {
  const info = await stat(path);
  let latest = Math.max(info.mtimeMs, info.ctimeMs);
  if (info.isDirectory()) {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isSymbolicLink() && !(await isFile(join(path, entry.name)))) continue;
      latest = Math.max(latest, (await latestChange(join(path, entry.name))).getTime());
    }
  }
  return new Date(latest);
}

class Budget {
  bytes = 0;
  entries = 0;
  constructor(readonly limits: SourceLimits) {}
  /** Throws when reading `n` more bytes would pass the source's total. */
  take(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxTotalBytes) throw new LimitError(`the source exceeds ${this.limits.maxTotalBytes} uncompressed bytes; the rest is not read`);
  }
}

/** A source-wide bound was reached: reading stops (unlike a per-file problem, which skips one file). */
class LimitError extends Error {}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function looksLikeZip(path: string): Promise<boolean> {
  if (path.toLowerCase().endsWith(".zip")) return true;
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    // Local file header, or the end-of-central-directory record of an empty zip.
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
  } finally {
    await fh.close();
  }
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.slice(0, 300);
}

const decoder = new TextDecoder("utf-8", { fatal: true });
function decode(bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function* readDirectory(root: string, budget: Budget): AsyncGenerator<SourceItem> {
  // Symlinked directories are not followed (a link cycle would never end); symlinked files are.
  async function* walk(dir: string): AsyncGenerator<SourceItem> {
    const listed = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => messageOf(err));
    if (typeof listed === "string") {
      yield { origin: relative(root, dir).split(sep).join("/") || ".", message: `cannot list directory: ${listed}` };
      return;
    }
    listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of listed) {
      const path = join(dir, e.name);
      const origin = relative(root, path).split(sep).join("/");
      const lower = e.name.toLowerCase();
      if (e.isDirectory()) yield* walk(path);
      else if ((e.isFile() || (e.isSymbolicLink() && (await isFile(path)))) && (lower.endsWith(".json") || lower.endsWith(".zip"))) {
        yield* readFileItems(path, origin, lower.endsWith(".zip"), budget);
      }
    }
  }
  yield* walk(root);
}

/** Turns a source-wide bound into a final issue: what was read before it stays read. */
async function* bounded(items: AsyncGenerator<SourceItem>, origin: string): AsyncGenerator<SourceItem> {
  try {
    yield* items;
  } catch (err) {
    if (!(err instanceof LimitError)) throw err;
    yield { origin, message: err.message };
  }
}

async function* readFileItems(path: string, origin: string, zip: boolean, budget: Budget): AsyncGenerator<SourceItem> {
  if (zip) {
    yield* readZip(path, origin, budget);
    return;
  }
  try {
    const info = await stat(path);
    if (info.size > budget.limits.maxFileBytes) {
      yield { origin, message: `file is ${info.size} bytes, over the ${budget.limits.maxFileBytes}-byte limit; skipped` };
      return;
    }
    budget.take(info.size);
    yield { origin, text: decode(await readFile(path)) };
  } catch (err) {
    if (err instanceof LimitError) throw err;
    yield { origin, message: err instanceof TypeError ? "file is not valid UTF-8" : `cannot read file: ${messageOf(err)}` };
  }
}

/** The next central-directory entry, or null at the end. Listeners are per call, so a late error never goes unhandled. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const done = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (entry: Entry) => (done(), resolve(entry));
    const onEnd = () => (done(), resolve(null));
    const onError = (err: Error) => (done(), reject(err));
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

async function readEntry(zip: ZipFile, entry: Entry, max: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // validateEntrySizes already stops a stream that outgrows its declared size; this guards the declared size itself.
    if (size > max) {
      stream.destroy();
      throw new Error(`entry is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function* readZip(path: string, origin: string, budget: Budget): AsyncGenerator<SourceItem> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    yield { origin, message: `not a readable zip file: ${messageOf(err)}` };
    return;
  }
  // A stray error after we stopped listening must not become an uncaught exception.
  zip.on("error", () => {});
  const { maxEntryBytes } = budget.limits;
  try {
    for (;;) {
      let entry: Entry | null;
      try {
        entry = await nextEntry(zip);
      } catch (err) {
        yield { origin, message: `corrupt zip, the rest of it is not read: ${messageOf(err)}` };
        return;
      }
      if (!entry) return;
      if (++budget.entries > budget.limits.maxEntries) throw new LimitError(`the source has more than ${budget.limits.maxEntries} zip entries; the rest is not read`);
      const name = entry.fileName;
      if (name.endsWith("/") || !name.toLowerCase().endsWith(".json")) continue;
      const at = `${origin}!${name}`;
      if (entry.uncompressedSize > maxEntryBytes) {
        yield { origin: at, message: `entry is ${entry.uncompressedSize} bytes, over the ${maxEntryBytes}-byte limit; skipped` };
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readEntry(zip, entry, maxEntryBytes);
      } catch (err) {
        yield { origin: at, message: `cannot read zip entry: ${messageOf(err)}` };
        continue;
      }
      budget.take(bytes.length);
      try {
        yield { origin: at, text: decode(bytes) };
      } catch {
        yield { origin: at, message: "entry is not valid UTF-8" };
      }
    }
  } finally {
    zip.close();
  }
}

async function openUrl(url: string, limits: SourceLimits, budget: Budget, opts: OpenSourceOptions): Promise<OpenedSource> {
  const headers: Record<string, string> = { accept: "application/zip, application/json;q=0.9, */*;q=0.1" };
  if (opts.etag) headers["if-none-match"] = opts.etag;
  if (opts.lastModified) headers["if-modified-since"] = opts.lastModified;
  const signal = AbortSignal.timeout(limits.downloadTimeoutMs);
  const fetchImpl: FetchLike = opts.fetchImpl ?? ((u, init) => fetch(u, init));
  const res = await fetchImpl(url, { headers, signal, redirect: "follow" });
  const nothing = async () => {};
  if (res.status === 304) {
    await res.body?.cancel();
    return { kind: "url", notModified: true, etag: opts.etag ?? null, lastModified: opts.lastModified ?? null, items: async function* () {}, close: nothing };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`download failed: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > limits.maxDownloadBytes) {
    await res.body.cancel();
    throw new Error(`download is ${declared} bytes, over the ${limits.maxDownloadBytes}-byte limit`);
  }
  const dir = await mkdtemp(join(tmpdir(), "bulwark-osv-"));
  const close = () => rm(dir, { recursive: true, force: true });
  const file = join(dir, "feed");
  try {
    let size = 0;
    // Counted as it streams: Content-Length may be absent or wrong.
    const counted = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > limits.maxDownloadBytes) throw new Error(`download exceeds the ${limits.maxDownloadBytes}-byte limit`);
        yield chunk;
      }
    };
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), counted, createWriteStream(file), { signal });
    const zip = await looksLikeZip(file);
    const name = basename(new URL(url).pathname) || "download";
    return {
      kind: "url",
      notModified: false,
      etag: res.headers.get("etag"),
      lastModified: res.headers.get("last-modified"),
      items: () => bounded(readFileItems(file, name, zip, budget), name),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
