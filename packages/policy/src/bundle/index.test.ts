import { describe, expect, it } from "vitest";
import { bundlePayloadBytes, canonicalJson, signedDocument, type BundleContent } from "./index.ts";

const content: BundleContent = {
  schema: 1,
  orgId: "org1",
  policies: [{ id: "b", rule: { type: "builtin", id: "b" } }],
  exceptions: [{ policyId: "b", namespace: "kube-system" }],
  settings: { trustedRegistries: ["ghcr.io/acme"], allowedDeployers: [], maxScanAgeHours: 168 },
};

describe("canonicalJson", () => {
  it("sorts keys at every depth, keeps array order and has no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("writes strings and numbers as JSON does and drops undefined properties", () => {
    expect(canonicalJson({ s: 'é"\n\u2028', n: 1e21, f: 0.1, neg: -0, u: undefined })).toBe(`{"f":0.1,"n":1e+21,"neg":0,"s":${JSON.stringify('é"\n\u2028')}}`);
    expect(canonicalJson(new Date("2026-01-01T00:00:00Z"))).toBe('"2026-01-01T00:00:00.000Z"');
  });

  it("refuses what JSON cannot carry instead of altering it", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\$\.a is not a finite number/);
    expect(() => canonicalJson([1, undefined])).toThrow(/\$\[1\] is undefined/);
    expect(() => canonicalJson({ b: 10n })).toThrow(/bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
    // The same object twice (not a cycle) is fine.
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe("bundle payload", () => {
  it("is the UTF-8 of the canonical signed document, covering version, createdAt and keyId", () => {
    const doc = signedDocument({ content, version: 3, createdAt: "2026-11-29T00:00:00.000Z", keyId: "k1" });
    expect(doc).toMatchObject({ orgId: "org1", version: 3, keyId: "k1", createdAt: "2026-11-29T00:00:00.000Z" });
    const bytes = bundlePayloadBytes(doc);
    expect(new TextDecoder().decode(bytes)).toBe(canonicalJson(doc));
    expect(bundlePayloadBytes(signedDocument({ content, version: 4, createdAt: doc.createdAt, keyId: "k1" }))).not.toEqual(bytes);
    expect(bundlePayloadBytes({ é: 1 })).toEqual(new Uint8Array([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x3a, 0x31, 0x7d]));
  });
});
