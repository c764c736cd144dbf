import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSecret, isMasked, maskSecret } from "./secrets.ts";

describe("maskSecret", () => {
  it("keeps the first 4 characters and the length only", () => {
    const secret = "ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const masked = maskSecret(secret);
    expect(masked).toBe(`ghp_\u2026(${secret.length})`);
    expect(masked).not.toContain("0123");
  });

  it("shows no characters of short values", () => {
    expect(maskSecret("hunter2")).toBe("\u2026(7)");
    expect(maskSecret("")).toBe("\u2026(0)");
  });

  it("counts characters, not UTF-16 units", () => {
    expect(maskSecret("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑")).toBe("🔑🔑🔑🔑\u2026(10)");
  });
});

describe("hashSecret", () => {
  it("is a prefixed sha256 of the UTF-8 value", () => {
    const hex = createHash("sha256").update("AKIAIOSFODNN7EXAMPLE").digest("hex");
    expect(hashSecret("AKIAIOSFODNN7EXAMPLE")).toBe(`sha256:${hex}`);
    expect(hashSecret("a")).not.toBe(hashSecret("b"));
  });
});

describe("isMasked", () => {
  it("recognises Trivy's asterisk masking", () => {
    expect(isMasked("export AWS_ACCESS_KEY_ID=********************")).toBe(true);
    expect(isMasked("echo ********")).toBe(true);
    expect(isMasked("a ** b")).toBe(false);
    expect(isMasked("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")).toBe(false);
  });
});
