import { KeyDecryptionError, openBytes, sealBytes } from "../bundles/key-crypto.ts";
import { type ChannelSecrets } from "./channel-config.ts";

// Channel secrets at rest: JSON sealed with the signing key's scheme (AES-256-GCM, HKDF from the
// installation secret) under its own HKDF label, bound to the channel id so a ciphertext copied onto
// another channel does not decrypt.

const INFO = "bulwark/notification-channel-secrets/v1";

export class ChannelSecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChannelSecretsError";
  }
}

export function sealChannelSecrets(secrets: ChannelSecrets, keySecret: string, channelId: string): Uint8Array<ArrayBuffer> {
  return sealBytes(Buffer.from(JSON.stringify(secrets), "utf8"), keySecret, channelId, INFO);
}

export function openChannelSecrets<T extends ChannelSecrets>(stored: Uint8Array | null, keySecret: string | null, channelId: string): T {
  if (!stored) throw new ChannelSecretsError("The channel has no stored secrets; edit it and save its URL or password again");
  if (!keySecret) throw new ChannelSecretsError("No key secret configured (BULWARK_KEY_SECRET or NEXTAUTH_SECRET) to decrypt the channel's secrets");
  try {
    return JSON.parse(openBytes(stored, keySecret, channelId, INFO).toString("utf8")) as T;
  } catch (err) {
    if (err instanceof KeyDecryptionError) {
      throw new ChannelSecretsError("The channel's secrets cannot be decrypted with the configured key secret; it changed since the channel was saved");
    }
    throw err;
  }
}
