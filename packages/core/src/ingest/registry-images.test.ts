import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { fingerprint } from "./fingerprint.ts";
import { parseRegistryLocation } from "./image-ref.ts";
import { MAX_REGISTRY_IMAGES, parseRegistryImages } from "./registry-images.ts";

const d = (c: string) => `sha256:${c.repeat(64)}`;

const report = () => ({
  registry: { name: "ghcr-acme", host: "ghcr.io/acme" },
  images: [
    {
      digest: d("b"),
      repository: "payments-api",
      tags: ["2.14.1", "latest", "2.14.1"],
      pushedAt: "2024-05-14T09:12:33.120+02:00",
      signature: { verified: true, signer: "https://github.com/acme/payments/.github/workflows/release.yml@refs/tags/v2.14.1", method: "Cosign" },
      malwareScan: { verdict: "clean", scanner: "ClamAV 1.3.1", signatures: [], scannedAt: "2024-05-14T09:15:00Z" },
    },
    {
      digest: d("a"),
      repository: "ghcr.io/acme/crypto-helper",
      tags: ["0.3.0"],
      pushedAt: "2024-05-10T00:00:00Z",
      signature: { verified: false },
      malwareScan: {
        verdict: "malicious",
        scanner: "ClamAV 1.3.1",
        signatures: ["Unix.Trojan.Mirai-7100807-0", "Multios.Coinminer.Miner-6781728-2", "Unix.Trojan.Mirai-7100807-0"],
        scannedAt: "2024-05-10T00:05:00Z",
      },
      vendorExtra: { harborProjectId: 7 },
    },
    { digest: d("c"), repository: "acme/tools/jq", tags: [] as string[], pushedAt: "2024-01-01T00:00:00Z", signature: { verified: true, method: "notation" } },
  ],
});

function fieldsOf(input: unknown): { path: string; message: string }[] {
  try {
    parseRegistryImages(input);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    return (err as AppError).fields ?? [];
  }
  throw new Error("expected VALIDATION_FAILED");
}

describe("parseRegistryImages", () => {
  it("normalises images, resolving repositories against the registry's host and prefix", () => {
    const r = parseRegistryImages(report());
    expect(r.registry).toEqual({ name: "ghcr-acme", host: "ghcr.io/acme", registryHost: "ghcr.io", pathPrefix: "acme" });
    expect(r.images.map((i) => i.name)).toEqual(["ghcr.io/acme/crypto-helper", "ghcr.io/acme/payments-api", "ghcr.io/acme/tools/jq"]);
    expect(r.images[1]).toEqual({
      digest: d("b"),
      registryHost: "ghcr.io",
      repository: "acme/payments-api",
      name: "ghcr.io/acme/payments-api",
      tags: ["2.14.1", "latest"],
      pushedAt: "2024-05-14T07:12:33.120Z",
      signatureVerified: true,
      signer: "https://github.com/acme/payments/.github/workflows/release.yml@refs/tags/v2.14.1",
      signatureMethod: "cosign",
      malwareVerdict: "clean",
      malwareScanner: "ClamAV 1.3.1",
      malwareSignatures: [],
      scannedAt: "2024-05-14T09:15:00.000Z",
    });
    expect(r.images[2]).toMatchObject({ repository: "acme/tools/jq", tags: [], malwareVerdict: null, scannedAt: null, signatureMethod: "notation" });
    expect(r.stats).toEqual({ images: 3, malicious: 1, unsigned: 1, unscanned: 1 });
  });

  it("turns a malicious verdict into one MALWARE finding with a stable fingerprint", () => {
    const r = parseRegistryImages(report());
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0];
    expect(f).toMatchObject({
      type: "MALWARE",
      severity: "CRITICAL",
      ruleId: "Multios.Coinminer.Miner-6781728-2",
      mitreTechniques: ["T1204.003"],
      imageDigest: d("a"),
      source: "registry",
      evidence: {
        scanner: "ClamAV 1.3.1",
        signatures: ["Multios.Coinminer.Miner-6781728-2", "Unix.Trojan.Mirai-7100807-0"],
        scannedAt: "2024-05-10T00:05:00.000Z",
      },
    });
    expect(f?.title).toBe("Malware in image: Multios.Coinminer.Miner-6781728-2, Unix.Trojan.Mirai-7100807-0");
    expect(f?.fingerprint).toBe(fingerprint("MALWARE", "Multios.Coinminer.Miner-6781728-2", d("a")));
    // Signature order from the scanner does not change the identity of the finding.
    const shuffled = report();
    shuffled.images[1]!.malwareScan!.signatures!.reverse();
    expect(parseRegistryImages(shuffled).findings[0]?.fingerprint).toBe(f?.fingerprint);
  });

  it("uses 'malware' as the rule when the scanner names no signature, and one finding per digest", () => {
    const r = parseRegistryImages({
      registry: { name: "hub", host: "docker.io" },
      images: [
        { digest: d("e"), repository: "nginx", tags: ["1.25"], pushedAt: "2024-01-01T00:00:00Z", signature: { verified: false }, malwareScan: { verdict: "malicious" } },
        { digest: d("e"), repository: "acme/nginx-copy", tags: [], pushedAt: "2024-01-01T00:00:00Z", signature: { verified: false }, malwareScan: { verdict: "malicious" } },
        { digest: d("f"), repository: "acme/x", pushedAt: "2024-01-01T00:00:00Z", signature: { verified: false }, malwareScan: { verdict: "unknown" } },
      ],
    });
    expect(r.images.map((i) => i.name)).toEqual(["docker.io/acme/nginx-copy", "docker.io/acme/x", "docker.io/library/nginx"]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ ruleId: "malware", title: "Malware in image", evidence: { scanner: null, signatures: [], scannedAt: null } });
    expect(r.stats).toMatchObject({ malicious: 2, unscanned: 1 });
  });

  it("accepts an empty list and a host with a port", () => {
    expect(parseRegistryImages({ registry: { name: "local", host: "localhost:5000" }, images: [] })).toMatchObject({
      registry: { registryHost: "localhost:5000", pathPrefix: null },
      images: [],
      findings: [],
    });
  });

  it.each([
    ["not an object", "x", ["(root)"]],
    ["missing registry", { images: [] }, ["registry"]],
    ["images not an array", { registry: { name: "r", host: "ghcr.io" }, images: {} }, ["images"]],
    ["a host that is not a host", { registry: { name: "r", host: "not a host" }, images: [] }, ["registry.host"]],
    ["an empty name", { registry: { name: " ", host: "ghcr.io" }, images: [] }, ["registry.name"]],
  ])("rejects %s", (_label, input, paths) => {
    expect(fieldsOf(input).map((f) => f.path)).toEqual(paths);
  });

  it("names every bad field of every image", () => {
    const bad = report() as unknown as { images: Record<string, unknown>[] };
    bad.images[0] = { ...bad.images[0], digest: `sha256:${"B".repeat(64)}`, pushedAt: "yesterday", tags: ["ok", "-bad"] };
    bad.images[1] = { ...bad.images[1], signature: { verified: "yes" }, malwareScan: { verdict: "infected", signatures: [""] } };
    bad.images[2] = { ...bad.images[2], repository: undefined };
    expect(fieldsOf(bad).map((f) => f.path).sort()).toEqual(
      [
        "images.0.digest",
        "images.0.pushedAt",
        "images.0.tags.1",
        "images.1.signature.verified",
        "images.1.malwareScan.verdict",
        "images.1.malwareScan.signatures.0",
        "images.2.repository",
      ].sort(),
    );
  });

  it("rejects repositories that are invalid or on another registry, and duplicates", () => {
    const r = report();
    r.images[0]!.repository = "Payments-API";
    r.images[2]!.repository = "quay.io/acme/jq";
    expect(fieldsOf(r)).toEqual([
      { path: "images.0.repository", message: "repository name must be lowercase" },
      { path: "images.2.repository", message: "Repository is on quay.io, not on this registry's host ghcr.io" },
    ]);
    const dup = report();
    dup.images.push({ ...dup.images[0]!, repository: "acme/payments-api", tags: ["other"] });
    expect(fieldsOf(dup)).toEqual([{ path: "images.3.digest", message: "Duplicate image (same repository and digest as images.0)" }]);
  });

  it("bounds the list", () => {
    const img = report().images[2]!;
    const fields = fieldsOf({ registry: { name: "r", host: "ghcr.io" }, images: Array.from({ length: MAX_REGISTRY_IMAGES + 1 }, () => img) });
    expect(fields.map((f) => f.path)).toEqual(["images"]);
  });
});

describe("parseRegistryLocation", () => {
  it.each([
    ["ghcr.io", "ghcr.io", null],
    ["ghcr.io/acme/", "ghcr.io", "acme"],
    ["harbor.example.com/team/sub", "harbor.example.com", "team/sub"],
    ["localhost:5000", "localhost:5000", null],
    ["index.docker.io", "docker.io", null],
  ])("%s", (input, registryHost, pathPrefix) => {
    expect(parseRegistryLocation(input)).toEqual({ registryHost, pathPrefix });
  });

  it.each(["", "acme", "acme/api", "ghcr.io/Acme", "https://ghcr.io", "ghcr.io//x"])("rejects %j", (input) => {
    expect(parseRegistryLocation(input)).toBeNull();
  });
});
