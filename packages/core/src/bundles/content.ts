import { createHash } from "node:crypto";
import { type Db, type Exception } from "@bulwark/db";
import { BUNDLE_SCHEMA_VERSION, type BundleContent, type BundleSettings, bundlePayloadBytes, type PolicyException } from "@bulwark/policy";
import { toPolicyExceptions } from "../exceptions/engine.ts";

// What goes into an organization's bundle, read fresh from the database, and its hash. Reading and
// hashing is cheap next to signing and inserting, so a long-poll can call this every second and only
// build a bundle when the hash moves.

/** Images older than a week since their last scan count as unscanned at admission. */
export const DEFAULT_MAX_SCAN_AGE_HOURS = 168;

export interface BundleDraft {
  content: BundleContent;
  /** `sha256:<hex>` of bundlePayloadBytes(content). */
  contentHash: string;
}

/**
 * An Exception row as the engine's exception, when its scope names a policy and one engine exception
 * expresses it; exceptions about advisories or images alone concern findings, not admission.
 * @deprecated A scope with an image repository or digest needs several engine exceptions: use
 * toPolicyExceptions (exceptions/engine.ts), which bundles and admission read through.
 */
export function toPolicyException(row: Pick<Exception, "id" | "scope" | "reason" | "expiresAt">): PolicyException | null {
  const all = toPolicyExceptions(row);
  return all.length === 1 ? all[0]! : null;
}

export function hashContent(content: BundleContent): string {
  return `sha256:${createHash("sha256").update(bundlePayloadBytes(content)).digest("hex")}`;
}

/**
 * Approved exceptions naming a policy that are still in force at `now`, as the engine takes them.
 * Bundles and the central admission endpoint both read them here, so both waive the same violations.
 */
export async function readPolicyExceptions(db: Db, orgId: string, now: Date): Promise<PolicyException[]> {
  const rows = await db.exception.findMany({
    where: { orgId, status: "APPROVED", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { id: "asc" },
    select: { id: true, scope: true, reason: true, expiresAt: true },
  });
  return rows.flatMap(toPolicyExceptions);
}

/** The organization's evaluation settings (trusted registries, deployers, scan age) as bundles carry them. */
export async function readBundleSettings(db: Db, orgId: string): Promise<BundleSettings> {
  const [registries, deployers] = await Promise.all([
    db.registry.findMany({ where: { orgId, trusted: true }, select: { host: true } }),
    db.allowedDeployer.findMany({ where: { orgId }, orderBy: [{ namespace: "asc" }, { subject: "asc" }], select: { namespace: true, subject: true } }),
  ]);
  const byNamespace = new Map<string, string[]>();
  for (const d of deployers) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d.subject]);
  return {
    trustedRegistries: [...new Set(registries.map((r) => r.host))].sort(),
    allowedDeployers: [...byNamespace].map(([namespace, subjects]) => ({ namespace, subjects })),
    maxScanAgeHours: DEFAULT_MAX_SCAN_AGE_HOURS,
  };
}

/** The organization's bundle content as of `now` (expired exceptions drop out, so content can change with time alone). */
export async function draftBundle(db: Db, orgId: string, now = new Date()): Promise<BundleDraft> {
  const [policies, exceptions, settings] = await Promise.all([
    db.policy.findMany({ where: { orgId, enabled: true }, orderBy: { key: "asc" }, select: { definition: true } }),
    readPolicyExceptions(db, orgId, now),
    readBundleSettings(db, orgId),
  ]);
  const content: BundleContent = {
    schema: BUNDLE_SCHEMA_VERSION,
    orgId,
    policies: policies.map((p) => p.definition),
    exceptions,
    settings,
  };
  return { content, contentHash: hashContent(content) };
}
