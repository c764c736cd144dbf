import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { bundlePayloadBytes, type SignedBundle, signedDocument } from "@bulwark/policy";
import { z } from "zod";

// Bundle verification, exactly as central signs (packages/core bundles/verify.ts and
// ensure-current-bundle.ts): the content hash is `sha256:` + hex SHA-256 of the canonical content
// bytes (@bulwark/policy bundlePayloadBytes), and the Ed25519 signature covers the canonical bytes of
// the content with version, createdAt and keyId added (signedDocument). Both are computed over the
// JSON exactly as received: the shape check below never rewrites what is hashed.

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A public key as PEM (SPKI), or the 32 raw bytes in base64, as GET /api/v1/enforcement/public-key gives both. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.includes("-----BEGIN")) {
    key = createPublicKey(trimmed);
  } else {
    const raw = Buffer.from(trimmed, "base64");
    if (raw.length !== 32 || raw.toString("base64").replace(/=+$/, "") !== trimmed.replace(/=+$/, "")) throw new Error("expected PEM or the 32 raw key bytes in base64");
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
  }
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`the key is ${key.asymmetricKeyType ?? "not asymmetric"}, not Ed25519`);
  return key;
}

/** `ed25519-` + the first 16 hex digits of SHA-256 of the raw key, as central names its keys. */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  return `ed25519-${createHash("sha256").update(Buffer.from(jwk.x ?? "", "base64url")).digest("hex").slice(0, 16)}`;
}

export function contentHashOf(content: unknown): string {
  return `sha256:${createHash("sha256").update(bundlePayloadBytes(content)).digest("hex")}`;
}

/** `"<version>-<first 16 hex digits of the content hash>"`, as central's ETag. */
export function bundleEtag(bundle: Pick<SignedBundle, "version" | "contentHash">): string {
  return `"${bundle.version}-${bundle.contentHash.replace(/^sha256:/, "").slice(0, 16)}"`;
}

const bundleShape = z.object({
  version: z.number().int().min(1),
  createdAt: z.string().min(1).max(100),
  keyId: z.string().min(1).max(200),
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  signature: z.string().min(1).max(1000),
  content: z.object({
    schema: z.literal(1),
    orgId: z.string().min(1),
    policies: z.array(z.unknown()),
    exceptions: z.array(z.unknown()),
    settings: z.object({ trustedRegistries: z.array(z.string()), allowedDeployers: z.array(z.unknown()), maxScanAgeHours: z.number() }),
  }),
});

export type Verified = { ok: true; bundle: SignedBundle } | { ok: false; reason: string };

/**
 * Checks that `raw` is a bundle signed by `publicKey` whose content matches its hash and, when
 * `orgId` is given, is for that organization. Never throws.
 */
export function verifyBundle(raw: unknown, publicKey: KeyObject, orgId?: string): Verified {
  const shape = bundleShape.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return { ok: false, reason: `not a bundle (${issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid"})` };
  }
  const bundle = raw as SignedBundle;
  try {
    if (contentHashOf(bundle.content) !== bundle.contentHash) return { ok: false, reason: `content does not match its contentHash ${bundle.contentHash}` };
    const signature = Buffer.from(bundle.signature, "base64");
    if (!verify(null, bundlePayloadBytes(signedDocument(bundle)), publicKey, signature)) {
      const pinned = keyIdOf(publicKey);
      return { ok: false, reason: bundle.keyId !== pinned ? `signed by key ${bundle.keyId}, but the configured public key is ${pinned} (was central's signing key replaced?)` : "bad signature" };
    }
  } catch (err) {
    return { ok: false, reason: `cannot be verified (${(err as Error).message})` };
  }
  if (orgId !== undefined && bundle.content.orgId !== orgId) return { ok: false, reason: `for organization ${bundle.content.orgId}, not ${orgId}` };
  return { ok: true, bundle };
}
