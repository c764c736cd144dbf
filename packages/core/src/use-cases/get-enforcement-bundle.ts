import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type SignedBundle } from "@bulwark/policy";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { draftBundle } from "../bundles/content.ts";
import { type KeyLog } from "../bundles/signing-key.ts";
import { ensureCurrentBundle } from "./ensure-current-bundle.ts";

// GET /api/v1/enforcement/bundle: the caller's organization's signed bundle, with conditional
// requests (ETag / If-None-Match) and an optional long-poll. While waiting, only the content hash is
// recomputed (a few indexed reads, no signing, no writes); a bundle is built once it moves.

export const MAX_BUNDLE_WAIT_SECONDS = 60;
const DEFAULT_POLL_MS = 1000;

export const bundleQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_BUNDLE_WAIT_SECONDS)
    .optional()
    .meta({ description: "Long-poll: when If-None-Match names the current bundle, wait up to this many seconds for a newer one (200) before answering 304" }),
});

export interface BundleRequest {
  /** The If-None-Match header as sent. */
  ifNoneMatch?: string | null;
  /** Long-poll: when the client's bundle is current, wait up to this long (≤ 60 s) for a newer one. */
  waitSeconds?: number;
  /** Stops the wait early (the client went away). */
  signal?: AbortSignal;
  pollIntervalMs?: number;
  log?: KeyLog;
}

export type BundleAnswer = { modified: true; etag: string; bundle: SignedBundle } | { modified: false; etag: string };

/** Enforcement points hold `enforcement`, bundle fetchers `policy:read`; members may read it too. */
export function requireBundleReader(ctx: OrgContext): void {
  if (ctx.actor.type === "token" && !ctx.actor.scopes.includes("enforcement") && !ctx.actor.scopes.includes("policy:read")) {
    throw AppError.forbidden('This token lacks the "enforcement" or "policy:read" scope');
  }
}

/** `"<version>-<first 16 hex digits of the content hash>"`: strong, and comparable without the body. */
export function bundleEtag(bundle: Pick<SignedBundle, "version" | "contentHash">): string {
  return `"${bundle.version}-${bundle.contentHash.replace(/^sha256:/, "").slice(0, 16)}"`;
}

/** RFC 9110 If-None-Match: `*` or a list of (possibly weak) entity tags; comparison is weak. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const value = ifNoneMatch.trim();
  if (value === "*") return true;
  const tags = value.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return tags.some((t) => t.replace(/^W\//, "") === etag);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export async function getEnforcementBundle(db: Db, ctx: OrgContext, keySecret: string, req: BundleRequest = {}): Promise<BundleAnswer> {
  requireBundleReader(ctx);
  const wait = Math.min(Math.max(req.waitSeconds ?? 0, 0), MAX_BUNDLE_WAIT_SECONDS);
  let bundle = await ensureCurrentBundle(db, ctx.orgId, keySecret, { log: req.log });
  let etag = bundleEtag(bundle);
  if (!etagMatches(req.ifNoneMatch, etag)) return { modified: true, etag, bundle };

  const deadline = Date.now() + wait * 1000;
  const interval = req.pollIntervalMs ?? DEFAULT_POLL_MS;
  while (!req.signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(interval, left), req.signal);
    if (req.signal?.aborted) break;
    const { contentHash } = await draftBundle(db, ctx.orgId);
    if (contentHash === bundle.contentHash) continue;
    bundle = await ensureCurrentBundle(db, ctx.orgId, keySecret, { log: req.log });
    etag = bundleEtag(bundle);
    if (!etagMatches(req.ifNoneMatch, etag)) return { modified: true, etag, bundle };
  }
  return { modified: false, etag };
}
