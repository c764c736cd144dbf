import { describe, expect, it } from "vitest";
import { generateApiToken, looksLikeApiToken, safeEqualHex, sha256Hex } from "./tokens.ts";

describe("API token format", () => {
  it("is bwk_ + base64url(32 random bytes), distinct every time", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(a.hash).toBe(sha256Hex(a.token));
    expect(a.hash).toHaveLength(64);
    expect(a.displayPrefix).toBe(a.token.slice(0, 10));
  });

  it("rejects look-alikes before any database lookup", () => {
    expect(looksLikeApiToken("bwk_short")).toBe(false);
    expect(looksLikeApiToken("ghp_" + "a".repeat(43))).toBe(false);
    expect(looksLikeApiToken("bwk_" + "a".repeat(42) + "!")).toBe(false);
  });

  it("compares hashes in constant time", () => {
    expect(safeEqualHex(sha256Hex("x"), sha256Hex("x"))).toBe(true);
    expect(safeEqualHex(sha256Hex("x"), sha256Hex("y"))).toBe(false);
    expect(safeEqualHex("ab", "abcd")).toBe(false);
  });
});
