import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint } from "./fingerprint.ts";

describe("fingerprint", () => {
  it("is the sha256 hex of the parts joined with U+001F", () => {
    const expected = createHash("sha256").update("VULNERABILITY\u001fCVE-1\u001fsha256:ab").digest("hex");
    expect(fingerprint("VULNERABILITY", "CVE-1", "sha256:ab")).toBe(expected);
    expect(fingerprint("a")).toMatch(/^[a-f0-9]{64}$/);
  });

  it("is stable and sensitive to every part and to part boundaries", () => {
    expect(fingerprint("a", "b")).toBe(fingerprint("a", "b"));
    expect(fingerprint("a", "b")).not.toBe(fingerprint("b", "a"));
    expect(fingerprint("a|b", "c")).not.toBe(fingerprint("a", "b|c"));
    expect(fingerprint("ab", "c")).not.toBe(fingerprint("a", "bc"));
  });

  it("treats null and undefined as empty and stringifies numbers", () => {
    expect(fingerprint("a", null, "c")).toBe(fingerprint("a", "", "c"));
    expect(fingerprint("a", undefined)).toBe(fingerprint("a", ""));
    expect(fingerprint("line", 3)).toBe(fingerprint("line", "3"));
  });
});
