import { describe, expect, it } from "vitest";
import type { ImageFacts } from "../types.ts";
import { imageScannedRecently, noFixableCriticalVulns, noMalware, requireSignedImages } from "./image-facts.ts";
import { SETTINGS, cronJob, deployment, facts, pod, run, where } from "./testing.ts";

const IMG = "ghcr.io/acme/api:1.4.2";
const one = (image = IMG) => deployment({ containers: [{ name: "api", image }] });
const withFacts = (f: ImageFacts) => ({ images: { [f.ref]: f } });
const ALL = [noFixableCriticalVulns, noMalware, requireSignedImages, imageScannedRecently];

describe("image-fact policies without facts", () => {
  it.each(ALL.map((p) => [p.id, p] as const))("%s passes when the image is unknown", (_id, policy) => {
    expect(run(policy, one())).toEqual([]);
    // Facts of another image do not apply.
    expect(run(policy, one(), withFacts(facts("nginx:1", { malware: { detected: true, signatures: ["x"] }, signature: { verified: false }, scannedAt: undefined })))).toEqual([]);
  });

  it.each(ALL.map((p) => [p.id, p] as const))("%s does not resolve images named like Object.prototype members", (_id, policy) => {
    expect(run(policy, pod({ containers: [{ name: "c", image: "constructor" }, { name: "t", image: "toString" }] }))).toEqual([]);
  });
});

describe("no-fixable-critical-vulns", () => {
  it("passes images whose critical vulnerabilities have no fix", () => {
    const f = facts(IMG, { vulnerabilities: { critical: 3, high: 9, medium: 1, low: 0, fixableCritical: 0, fixableHigh: 5 } });
    expect(run(noFixableCriticalVulns, one(), withFacts(f))).toEqual([]);
  });

  it("flags fixable critical vulnerabilities at the container's image", () => {
    const f = facts(IMG, { vulnerabilities: { critical: 3, high: 0, medium: 0, low: 0, fixableCritical: 2, fixableHigh: 0, ids: ["CVE-2024-1", "CVE-2024-2", "CVE-2024-3", "CVE-2024-4", "CVE-2024-5", "CVE-2024-6", "CVE-2024-7"] } });
    const v = run(noFixableCriticalVulns, one(), withFacts(f));
    expect(where(v)).toEqual([["api", "spec.template.spec.containers[0].image"]]);
    expect(v[0]?.message).toBe(`Container "api": image ${IMG} has 2 critical vulnerabilities with a fix available`);
    expect(v[0]?.evidence).toBe("fixableCritical: 2, critical: 3, fixableHigh: 0; CVE-2024-1, CVE-2024-2, CVE-2024-3, CVE-2024-4, CVE-2024-5 and 2 more");
  });

  it("judges each container running the image, init and ephemeral included", () => {
    const f = facts(IMG, { vulnerabilities: { critical: 1, high: 0, medium: 0, low: 0, fixableCritical: 1, fixableHigh: 0 } });
    const v = run(noFixableCriticalVulns, cronJob({ containers: [{ name: "a", image: IMG }, { name: "b", image: "other:1" }], initContainers: [{ name: "i", image: IMG }], ephemeralContainers: [{ name: "e", image: IMG }] }), withFacts(f));
    expect(where(v)).toEqual([
      ["a", "spec.jobTemplate.spec.template.spec.containers[0].image"],
      ["i", "spec.jobTemplate.spec.template.spec.initContainers[0].image"],
      ["e", "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image"],
    ]);
    expect(v[0]?.message).toContain("1 critical vulnerability with");
  });
});

describe("no-malware", () => {
  it("passes clean images", () => {
    expect(run(noMalware, one(), withFacts(facts(IMG)))).toEqual([]);
  });

  it("flags detected malware with its signatures", () => {
    const v = run(noMalware, one(), withFacts(facts(IMG, { malware: { detected: true, signatures: ["Linux.Miner.XMRig", "Unix.Trojan.Mirai"] } })));
    expect(where(v)).toEqual([["api", "spec.template.spec.containers[0].image"]]);
    expect(v[0]?.evidence).toBe("signatures: Linux.Miner.XMRig, Unix.Trojan.Mirai");
  });

  it("flags a detection without signatures", () => {
    expect(run(noMalware, one(), withFacts(facts(IMG, { malware: { detected: true, signatures: [] } })))[0]?.evidence).toBe("malware detected");
  });
});

describe("require-signed-images", () => {
  it("passes verified signatures and flags unverified ones", () => {
    expect(run(requireSignedImages, one(), withFacts(facts(IMG)))).toEqual([]);
    const v = run(requireSignedImages, one(), withFacts(facts(IMG, { signature: { verified: false } })));
    expect(where(v)).toEqual([["api", "spec.template.spec.containers[0].image"]]);
  });
});

describe("image-scanned-recently", () => {
  const settings = (over: Partial<typeof SETTINGS>) => ({ settings: { ...SETTINGS, ...over } });

  it("passes a scan within the maximum age (and one from the future)", () => {
    expect(run(imageScannedRecently, one(), withFacts(facts(IMG, { scannedAt: "2025-06-08T12:00:00Z" })))).toEqual([]);
    expect(run(imageScannedRecently, one(), withFacts(facts(IMG, { scannedAt: "2025-06-16T00:00:00Z" })))).toEqual([]);
  });

  it("flags a scan older than the maximum age", () => {
    const v = run(imageScannedRecently, one(), { ...withFacts(facts(IMG, { scannedAt: "2025-06-08T11:59:59Z" })), ...settings({}) });
    expect(where(v)).toEqual([["api", "spec.template.spec.containers[0].image"]]);
    expect(v[0]?.message).toContain("168 hours ago (maximum 168)");
    expect(v[0]?.evidence).toBe("scannedAt: 2025-06-08T11:59:59Z, now: 2025-06-15T12:00:00Z");
  });

  it("uses settings.maxScanAgeHours and settings.now", () => {
    const f = withFacts(facts(IMG, { scannedAt: "2025-06-15T00:00:00Z" }));
    expect(run(imageScannedRecently, one(), { ...f, ...settings({ maxScanAgeHours: 24 }) })).toEqual([]);
    expect(run(imageScannedRecently, one(), { ...f, ...settings({ maxScanAgeHours: 6 }) })).toHaveLength(1);
    expect(run(imageScannedRecently, one(), { ...f, ...settings({ maxScanAgeHours: 6, now: "2025-06-15T05:00:00Z" }) })).toEqual([]);
  });

  it("flags a known image that was never scanned, or has an unreadable scan time", () => {
    expect(run(imageScannedRecently, one(), withFacts(facts(IMG, { scannedAt: undefined })))[0]?.evidence).toBe("scannedAt: never");
    expect(run(imageScannedRecently, one(), withFacts(facts(IMG, { scannedAt: "yesterday" })))[0]?.message).toContain("no valid scan time");
  });

  it("is off without a positive maximum age or a valid evaluation time", () => {
    const f = withFacts(facts(IMG, { scannedAt: undefined }));
    expect(run(imageScannedRecently, one(), { ...f, ...settings({ maxScanAgeHours: 0 }) })).toEqual([]);
    expect(run(imageScannedRecently, one(), { ...f, ...settings({ now: "not a date" }) })).toEqual([]);
  });
});
