import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { type Db, type SigningKey } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../errors.ts";
import { decryptPrivateKey, encryptPrivateKey, KeyDecryptionError, keyIdOf, publicKeyFromSpki } from "./key-crypto.ts";

// The installation's bundle signing key, created on first need. Two web replicas starting together
// both see no key and both try to insert one; the unique index on `active` lets exactly one insert
// win, and the loser re-reads and uses the winner's key. The secret comes in as an argument (core
// reads no environment): the web app passes BULWARK_KEY_SECRET, falling back to NEXTAUTH_SECRET.

export interface ActiveSigningKey {
  keyId: string;
  algorithm: "Ed25519";
  publicKey: KeyObject;
  privateKey: KeyObject;
  createdAt: Date;
}

/** Where key lifecycle events are reported (a pino logger fits). */
export interface KeyLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silent: KeyLog = { info: () => undefined, error: () => undefined };
const MAX_ATTEMPTS = 3;

function unlock(row: SigningKey, secret: string): ActiveSigningKey {
  return {
    keyId: row.keyId,
    algorithm: "Ed25519",
    publicKey: publicKeyFromSpki(row.publicKey),
    privateKey: decryptPrivateKey(row.encryptedPrivateKey, secret, row.keyId),
    createdAt: row.createdAt,
  };
}

async function insertNewKey(db: Db, secret: string): Promise<SigningKey | null> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const keyId = keyIdOf(publicKey);
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  try {
    return await db.signingKey.create({
      data: {
        keyId,
        algorithm: "Ed25519",
        publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
        encryptedPrivateKey: encryptPrivateKey(der, secret, keyId),
        active: true,
      },
    });
  } catch (err) {
    // Another process inserted the active key first: use theirs.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** The active key, unlocked; generated when there is none, replaced when the secret cannot unlock it. */
export async function ensureSigningKey(db: Db, secret: string, log: KeyLog = silent): Promise<ActiveSigningKey> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const row = await db.signingKey.findFirst({ where: { active: true } });
    if (row) {
      try {
        return unlock(row, secret);
      } catch (err) {
        if (!(err instanceof KeyDecryptionError)) throw err;
        // The secret changed (or the row was tampered with): the old key is unusable for signing. A
        // new key means enforcement points must be given the new public key, so say so loudly.
        log.error(
          { keyId: row.keyId },
          "bundle signing key cannot be decrypted with the configured secret (BULWARK_KEY_SECRET, or NEXTAUTH_SECRET when unset, has changed); retiring it and generating a new key — enforcement points must be given the new public key",
        );
        await db.signingKey.updateMany({ where: { id: row.id, active: true }, data: { active: null, retiredAt: new Date() } });
        continue;
      }
    }
    const created = await insertNewKey(db, secret);
    if (created) {
      log.info({ keyId: created.keyId }, "generated the bundle signing key");
      return unlock(created, secret);
    }
  }
  throw new AppError("UNAVAILABLE", "The bundle signing key could not be established; try again");
}
