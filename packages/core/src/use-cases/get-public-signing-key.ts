import { type Db } from "@bulwark/db";
import { rawPublicKey } from "../bundles/key-crypto.ts";
import { ensureSigningKey, type KeyLog } from "../bundles/signing-key.ts";

// The key enforcement points verify bundles with. Public by nature; it is the key this process signs
// with (generated on first need), so what is published is always usable.

export interface PublicSigningKey {
  keyId: string;
  algorithm: "Ed25519";
  /** SubjectPublicKeyInfo, PEM. */
  publicKey: string;
  /** The 32 raw key bytes, base64. */
  publicKeyBase64: string;
  createdAt: Date;
}

export async function getPublicSigningKey(db: Db, keySecret: string, log?: KeyLog): Promise<PublicSigningKey> {
  const key = await ensureSigningKey(db, keySecret, log);
  return {
    keyId: key.keyId,
    algorithm: key.algorithm,
    publicKey: key.publicKey.export({ format: "pem", type: "spki" }).toString(),
    publicKeyBase64: rawPublicKey(key.publicKey).toString("base64"),
    createdAt: key.createdAt,
  };
}
