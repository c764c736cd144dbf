import { createPublicKey, KeyObject, sign, verify } from "node:crypto";
import { bundlePayloadBytes, signedDocument, type SignedBundle } from "@bulwark/policy";
import { hashContent } from "./content.ts";

// Verification exactly as an enforcement point does it (apps/enforcer will do the same with the
// public key from GET /api/v1/enforcement/public-key): rebuild the signed document (content plus
// version, createdAt and keyId), take its canonical bytes (@bulwark/policy bundlePayloadBytes) and
// check the Ed25519 signature; the content hash must match the content too.

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A public key as PEM, as the 32 raw bytes (or their base64), or a KeyObject. */
export type PublicKeyInput = KeyObject | string | Uint8Array;

export function toPublicKey(key: PublicKeyInput): KeyObject {
  if (key instanceof KeyObject) return key;
  if (typeof key === "string" && key.includes("-----BEGIN")) return createPublicKey(key);
  const raw = typeof key === "string" ? Buffer.from(key, "base64") : Buffer.from(key);
  if (raw.length !== 32) throw new Error("An Ed25519 public key has 32 bytes");
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

export function signBundlePayload(payload: Uint8Array, privateKey: KeyObject): string {
  return sign(null, payload, privateKey).toString("base64");
}

/** True when the bundle is exactly what the holder of the key signed. */
export function verifyBundleSignature(bundle: SignedBundle, publicKey: PublicKeyInput): boolean {
  try {
    if (hashContent(bundle.content) !== bundle.contentHash) return false;
    return verify(null, bundlePayloadBytes(signedDocument(bundle)), toPublicKey(publicKey), Buffer.from(bundle.signature, "base64"));
  } catch {
    return false;
  }
}
