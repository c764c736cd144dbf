// SHA-256 fingerprint of a PEM public key, over its DER (SubjectPublicKeyInfo) bytes, so anyone can
// recompute it: `openssl pkey -pubin -in bulwark.pem -outform DER | sha256sum`. WebCrypto keeps this
// usable on the server and in the browser alike.

export const FINGERPRINT_COMMAND = "openssl pkey -pubin -in bulwark-public-key.pem -outform DER | sha256sum";

export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem
    .replace(/-----BEGIN [^-]+-----/, "")
    .replace(/-----END [^-]+-----/, "")
    .replace(/\s+/g, "");
  if (!body || !/^[A-Za-z0-9+/]+=*$/.test(body)) throw new Error("Not a PEM document");
  const bin = atob(body);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export interface Fingerprint {
  /** 64 lowercase hex digits. */
  hex: string;
  /** The first 128 bits in groups of four hex digits, for reading aloud and comparing at a glance. */
  short: string;
}

export async function publicKeyFingerprint(pem: string): Promise<Fingerprint> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", pemToDer(pem)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  const short = (hex.slice(0, 32).match(/.{4}/g) ?? []).join(":");
  return { hex, short };
}
