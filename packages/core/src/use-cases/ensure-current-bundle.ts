import { type Db, type PolicyBundle, type Prisma } from "@bulwark/db";
import { type BundleContent, bundlePayloadBytes, signedDocument, type SignedBundle } from "@bulwark/policy";
import { AppError } from "../errors.ts";
import { draftBundle } from "../bundles/content.ts";
import { ensureSigningKey, type KeyLog } from "../bundles/signing-key.ts";
import { signBundlePayload } from "../bundles/verify.ts";
import { isUniqueViolation } from "../errors.ts";
import { ensureBuiltinPolicies } from "./ensure-builtin-policies.ts";

// The organization's current signed bundle. A bundle is immutable: when the content (enabled policy
// definitions, approved exceptions, trusted registries) differs from the latest bundle's, or the
// latest was signed by a key that is no longer active, a new one is written with version + 1. What is
// signed: Ed25519 over bundlePayloadBytes(signedDocument(bundle)), i.e. the canonical JSON of the
// content with version, createdAt and keyId added (see @bulwark/policy bundle/index.ts).

export interface EnsureBundleOptions {
  log?: KeyLog;
}

const MAX_ATTEMPTS = 5;

export function toSignedBundle(row: PolicyBundle): SignedBundle {
  return {
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    keyId: row.keyId,
    contentHash: row.contentHash,
    content: row.content as unknown as BundleContent,
    signature: row.signature,
  };
}

export async function ensureCurrentBundle(db: Db, orgId: string, keySecret: string, opts: EnsureBundleOptions = {}): Promise<SignedBundle> {
  await ensureBuiltinPolicies(db, orgId);
  const { content, contentHash } = await draftBundle(db, orgId);
  const key = await ensureSigningKey(db, keySecret, opts.log);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const latest = await db.policyBundle.findFirst({ where: { orgId }, orderBy: { version: "desc" } });
    if (latest && latest.contentHash === contentHash && latest.keyId === key.keyId) return toSignedBundle(latest);
    const version = (latest?.version ?? 0) + 1;
    // Milliseconds, as the column keeps them, so the signed createdAt equals the stored one.
    const createdAt = new Date();
    const signature = signBundlePayload(bundlePayloadBytes(signedDocument({ content, version, createdAt: createdAt.toISOString(), keyId: key.keyId })), key.privateKey);
    try {
      const row = await db.policyBundle.create({
        data: { orgId, version, contentHash, content: content as unknown as Prisma.InputJsonValue, signature, keyId: key.keyId, createdAt },
      });
      return toSignedBundle(row);
    } catch (err) {
      // Another replica wrote this version first; re-read: it is ours if the content agrees.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new AppError("UNAVAILABLE", "The policy bundle is changing too fast to be built; try again");
}
