import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pemToDer, publicKeyFingerprint } from "./fingerprint.ts";

describe("public key fingerprint", () => {
  it("is SHA-256 over the DER of the PEM, as openssl | sha256sum computes it", async () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    const der = publicKey.export({ format: "der", type: "spki" });
    const expected = createHash("sha256").update(der).digest("hex");
    const fp = await publicKeyFingerprint(pem);
    expect(fp.hex).toBe(expected);
    expect(fp.short).toBe(expected.slice(0, 32).match(/.{4}/g)!.join(":"));
    expect(fp.short).toMatch(/^([0-9a-f]{4}:){7}[0-9a-f]{4}$/);
    expect(Buffer.from(pemToDer(pem)).equals(der)).toBe(true);
  });

  it("refuses text that is not a PEM document", () => {
    expect(() => pemToDer("")).toThrow("Not a PEM document");
    expect(() => pemToDer("-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----")).toThrow("Not a PEM document");
  });
});
