import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, hkdfSync, randomBytes, type KeyObject } from "node:crypto";

// The signing key's cryptography, without I/O. The private key is never stored in clear: it is
// encrypted with AES-256-GCM under a key derived with HKDF-SHA256 from the installation secret (a
// fresh salt per key), and the key id is bound as associated data so a ciphertext cannot be moved to
// another row. Stored layout: version (1 byte) | salt (16) | iv (12) | tag (16) | ciphertext.

const FORMAT_VERSION = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = "bulwark/bundle-signing-key/v1";

export class KeyDecryptionError extends Error {
  constructor(message = "The signing key cannot be decrypted with the configured secret") {
    super(message);
    this.name = "KeyDecryptionError";
  }
}

function wrappingKey(secret: string, salt: Uint8Array, info: string): Buffer {
  if (secret.length === 0) throw new Error("The key secret must not be empty");
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), salt, info, 32));
}

/**
 * AES-256-GCM under a key derived (HKDF-SHA256, fresh salt) from the installation secret. `aad` binds the
 * ciphertext to its row (key id, channel id) so it cannot be moved to another; `info` separates uses, so
 * the signing key and notification channel secrets never share a derived key.
 */
export function sealBytes(plain: Uint8Array, secret: string, aad: string, info: string = HKDF_INFO): Uint8Array<ArrayBuffer> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", wrappingKey(secret, salt, info), iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const out = new Uint8Array(new ArrayBuffer(1 + SALT_BYTES + IV_BYTES + TAG_BYTES + ciphertext.length));
  out.set([FORMAT_VERSION], 0);
  out.set(salt, 1);
  out.set(iv, 1 + SALT_BYTES);
  out.set(cipher.getAuthTag(), 1 + SALT_BYTES + IV_BYTES);
  out.set(ciphertext, 1 + SALT_BYTES + IV_BYTES + TAG_BYTES);
  return out;
}

/** The plaintext of sealBytes; a wrong secret, aad or info (or tampered bytes) is a KeyDecryptionError. */
export function openBytes(stored: Uint8Array, secret: string, aad: string, info: string = HKDF_INFO): Buffer {
  const buf = Buffer.from(stored);
  const header = 1 + SALT_BYTES + IV_BYTES + TAG_BYTES;
  if (buf.length <= header || buf[0] !== FORMAT_VERSION) throw new KeyDecryptionError("The stored ciphertext has an unknown format");
  const salt = buf.subarray(1, 1 + SALT_BYTES);
  const iv = buf.subarray(1 + SALT_BYTES, 1 + SALT_BYTES + IV_BYTES);
  const tag = buf.subarray(1 + SALT_BYTES + IV_BYTES, header);
  try {
    const decipher = createDecipheriv("aes-256-gcm", wrappingKey(secret, salt, info), iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buf.subarray(header)), decipher.final()]);
  } catch {
    throw new KeyDecryptionError("The stored ciphertext cannot be decrypted with the configured secret");
  }
}

export function encryptPrivateKey(privateKeyDer: Uint8Array, secret: string, keyId: string): Uint8Array<ArrayBuffer> {
  return sealBytes(privateKeyDer, secret, keyId);
}

/** The PKCS#8 private key; a wrong secret (or tampered bytes) is a KeyDecryptionError. */
export function decryptPrivateKey(stored: Uint8Array, secret: string, keyId: string): KeyObject {
  let der: Buffer;
  try {
    der = openBytes(stored, secret, keyId);
  } catch (err) {
    if (err instanceof KeyDecryptionError && err.message.includes("unknown format")) throw new KeyDecryptionError("The stored signing key has an unknown format");
    throw new KeyDecryptionError();
  }
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch {
    throw new KeyDecryptionError();
  }
}

/** The 32 raw bytes of an Ed25519 public key (the last 32 bytes of its SPKI DER). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x) throw new Error("Not an Ed25519 public key");
  return Buffer.from(jwk.x, "base64url");
}

/** `ed25519-` + the first 16 hex digits of SHA-256 of the raw public key: stable and recomputable by verifiers. */
export function keyIdOf(publicKey: KeyObject): string {
  return `ed25519-${createHash("sha256").update(rawPublicKey(publicKey)).digest("hex").slice(0, 16)}`;
}

export function publicKeyFromSpki(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" });
}
