import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// API tokens: "bwk_" + 32 random bytes (base64url). Only the SHA-256 is stored; a fast hash is right
// here because the secret has 256 bits of entropy (unlike passwords).

export const TOKEN_PREFIX = "bwk_";
export const TOKEN_SCOPES = ["ingest", "policy:read", "enforcement", "read", "metrics"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function generateSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function generateApiToken(): { token: string; hash: string; displayPrefix: string } {
  const token = generateSecret(TOKEN_PREFIX);
  return { token, hash: sha256Hex(token), displayPrefix: token.slice(0, TOKEN_PREFIX.length + 6) };
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(TOKEN_PREFIX.length));
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
