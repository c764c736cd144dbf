import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { fingerprint } from "./fingerprint.ts";
import { hashSecret } from "./secrets.ts";
import { parseTrivyReport, pickCvss } from "./trivy.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw fixture JSON, read independently of the parser
type Raw = any;

function fixture(name: string): Raw {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/trivy/${name}`, import.meta.url), "utf8"));
}

function validationFields(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.status).toBe(400);
    return e.fields ?? [];
  }
  throw new Error("expected a VALIDATION_FAILED error");
}

const SEVERITIES = new Set(["CRITICAL", "HIGH", "MEDIUM", "LOW"]);

describe.each(["alpine-310.json.golden", "debian-buster.json.golden"])("vulnerabilities of %s", (name) => {
  const raw = fixture(name);
  const parsed = parseTrivyReport(raw);
  const expected = (raw.Results as Raw[]).flatMap((r) =>
    ((r.Vulnerabilities ?? []) as Raw[]).map((v) => ({
      ruleId: v.VulnerabilityID,
      packageName: v.PkgName,
      packageVersion: v.InstalledVersion,
      fixedVersion: v.FixedVersion ?? null,
      fixable: Boolean(v.FixedVersion),
      severity: SEVERITIES.has(v.Severity) ? v.Severity : "INFO",
      cvssScore: v.CVSS?.nvd?.V3Score ?? null,
      title: v.Title,
      description: v.Description,
    })),
  );

  it("turns every vulnerability into exactly one finding with its package, versions and severity", () => {
    expect(expected.length).toBeGreaterThan(0);
    const vulns = parsed.findings.filter((f) => f.type === "VULNERABILITY");
    expect(vulns).toHaveLength(expected.length);
    expect(parsed.stats.vulnerabilities).toBe(expected.length);
    expect(vulns.map(({ ruleId, packageName, packageVersion, fixedVersion, fixable, severity, cvssScore, title, description }) => ({
      ruleId, packageName, packageVersion, fixedVersion, fixable, severity, cvssScore, title, description,
    }))).toEqual(expected);
    for (const f of vulns) {
      expect(f.source).toBe("trivy");
      expect(f.fingerprint).toMatch(/^[a-f0-9]{64}$/);
      expect(f.mitreTechniques).toEqual([]);
    }
    expect(new Set(vulns.map((f) => f.fingerprint)).size).toBe(vulns.length);
  });

  it("identifies the image by digest and records its OS", () => {
    expect(parsed.image?.digest).toBe(raw.Metadata.ImageID);
    expect(parsed.image?.digestSource).toBe("imageId");
    expect(parsed.image?.repoTags).toEqual(raw.Metadata.RepoTags);
    expect(parsed.os).toMatchObject({ family: raw.Metadata.OS.Family, name: raw.Metadata.OS.Name });
    expect(parsed.artifact).toEqual({ name: raw.ArtifactName, type: "container_image" });
    // These golden files list no Results[].Packages.
    expect(parsed.packages).toEqual([]);
  });

  it("is JSON-safe and deterministic", () => {
    const again = parseTrivyReport(fixture(name));
    expect(JSON.parse(JSON.stringify(parsed.findings))).toEqual(again.findings);
  });
});

describe("specific CVEs", () => {
  it("alpine-310: CVE-2019-1551 in libssl1.1", () => {
    const r = parseTrivyReport(fixture("alpine-310.json.golden"));
    expect(r.findings).toHaveLength(4);
    const f = r.findings.find((x) => x.ruleId === "CVE-2019-1551" && x.packageName === "libssl1.1");
    expect(f).toMatchObject({
      type: "VULNERABILITY",
      severity: "MEDIUM",
      packageVersion: "1.1.1c-r0",
      fixedVersion: "1.1.1d-r2",
      fixable: true,
      cvssScore: 5.3,
      remediation: "Upgrade libssl1.1 to 1.1.1d-r2 or later.",
      target: "testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)",
    });
    expect(f?.evidence).toMatchObject({
      purl: "pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2",
      ecosystem: "Alpine:v3.10",
      status: "fixed",
      cvssSource: "nvd",
      cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
      primaryUrl: "https://avd.aquasec.com/nvd/cve-2019-1551",
    });
    expect((f?.evidence.references as string[]).length).toBeLessThanOrEqual(20);
    // Same CVE in two packages: two findings.
    expect(r.findings.filter((x) => x.ruleId === "CVE-2019-1549").map((x) => x.packageName).sort()).toEqual(["libcrypto1.1", "libssl1.1"]);
    expect(f?.fingerprint).toBe(fingerprint("VULNERABILITY", "CVE-2019-1551", "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4", "libssl1.1", "1.1.1c-r0", "os-pkgs"));
  });

  it("debian-buster: unfixed bash keeps Trivy's LOW with NVD's 7.8, libidn2 is CRITICAL and fixable", () => {
    const r = parseTrivyReport(fixture("debian-buster.json.golden"));
    expect(r.findings.find((x) => x.ruleId === "CVE-2019-18276")).toMatchObject({
      packageName: "bash", packageVersion: "5.0-4", fixedVersion: null, fixable: false, severity: "LOW", cvssScore: 7.8, remediation: null,
    });
    expect(r.findings.find((x) => x.ruleId === "CVE-2019-18224")).toMatchObject({
      packageName: "libidn2-0", packageVersion: "2.0.5-1", fixedVersion: "2.0.5-1+deb10u1", fixable: true, severity: "CRITICAL", cvssScore: 9.8,
    });
    expect(r.findings.find((x) => x.ruleId === "CVE-2019-18224")?.evidence.ecosystem).toBe("Debian:10");
  });
});

describe("fingerprints", () => {
  it("depend on the image digest, not on the name the image was scanned by", () => {
    const a = fixture("alpine-310.json.golden");
    const renamed = fixture("alpine-310.json.golden");
    renamed.ArtifactName = "ghcr.io/aquasecurity/trivy-test-images:alpine-310";
    renamed.Results[0].Target = "ghcr.io/aquasecurity/trivy-test-images:alpine-310 (alpine 3.10.2)";
    expect(parseTrivyReport(renamed).findings.map((f) => f.fingerprint)).toEqual(parseTrivyReport(a).findings.map((f) => f.fingerprint));

    const otherDigest = fixture("alpine-310.json.golden");
    otherDigest.Metadata.ImageID = `sha256:${"0".repeat(64)}`;
    const other = parseTrivyReport(otherDigest).findings.map((f) => f.fingerprint);
    for (const fp of parseTrivyReport(a).findings.map((f) => f.fingerprint)) expect(other).not.toContain(fp);
  });

  it("prefer a repo digest over the image id", () => {
    const raw = fixture("alpine-310.json.golden");
    const digest = `sha256:${"ab".repeat(32)}`;
    raw.Metadata.RepoDigests = [`ghcr.io/aquasecurity/trivy-test-images@${digest}`];
    const r = parseTrivyReport(raw);
    expect(r.image).toMatchObject({ digest, digestSource: "repoDigest", imageId: raw.Metadata.ImageID });
  });

  it("drop exact repeats within a report", () => {
    const raw = fixture("alpine-310.json.golden");
    raw.Results[0].Vulnerabilities.push(structuredClone(raw.Results[0].Vulnerabilities[0]));
    raw.Results.push(structuredClone(raw.Results[0]));
    const r = parseTrivyReport(raw);
    expect(r.findings).toHaveLength(4);
    expect(r.stats.duplicates).toBe(1 + 5);
  });
});

describe("severity and CVSS fallbacks", () => {
  it("derives severity from CVSS when Trivy says UNKNOWN", () => {
    const raw = fixture("debian-buster.json.golden");
    raw.Results[0].Vulnerabilities[1].Severity = "UNKNOWN";
    expect(parseTrivyReport(raw).findings[1]?.severity).toBe("CRITICAL");
    delete raw.Results[0].Vulnerabilities[1].Severity;
    delete raw.Results[0].Vulnerabilities[1].CVSS;
    expect(parseTrivyReport(raw).findings[1]).toMatchObject({ severity: "INFO", cvssScore: null });
  });

  it("prefers nvd V3, then the severity source vendor, then others, then v2", () => {
    expect(pickCvss({ redhat: { V3Score: 4.8 }, nvd: { V3Score: 5.3, V2Score: 5 } }, "redhat")?.score).toBe(5.3);
    expect(pickCvss({ redhat: { V3Score: 4.8 }, ubuntu: { V3Score: 6.1 }, nvd: { V2Score: 5 } }, "ubuntu")).toMatchObject({ score: 6.1, source: "ubuntu" });
    expect(pickCvss({ redhat: { V3Score: 4.8 }, nvd: { V2Score: 5 } }, "debian")).toMatchObject({ score: 4.8, source: "redhat" });
    expect(pickCvss({ nvd: { V2Score: 5, V2Vector: "AV:N" } }, null)).toEqual({ score: 5, vector: "AV:N", source: "nvd" });
    expect(pickCvss(undefined, "nvd")).toBeNull();
  });
});

describe("misconfigurations (dockerfile.json.golden)", () => {
  it("keeps failed checks with rule id, severity, remediation and MITRE", () => {
    const raw = fixture("dockerfile.json.golden");
    const r = parseTrivyReport(raw);
    const expectedFails = (raw.Results as Raw[]).flatMap((x) => (x.Misconfigurations ?? []) as Raw[]).filter((m) => m.Status === "FAIL");
    expect(r.findings).toHaveLength(expectedFails.length);
    expect(r.findings[0]).toMatchObject({
      type: "MISCONFIGURATION",
      ruleId: "DS-0002",
      severity: "HIGH",
      title: "Image user should not be 'root'",
      remediation: "Add 'USER <non root user name>' line to the Dockerfile",
      target: "Dockerfile",
      mitreTechniques: ["T1068"],
      fixable: false,
      packageName: null,
    });
    expect(r.findings[0]?.evidence).toMatchObject({ message: "Specify at least 1 USER command in Dockerfile with non-root user as argument", provider: "Dockerfile" });
    expect(r.image).toBeNull();
    expect(r.findings[0]?.fingerprint).toBe(fingerprint("MISCONFIGURATION", "DS-0002", "repository:testdata/fixtures/repo/dockerfile", "Dockerfile", null));
  });

  it("skips PASS checks and treats AVD-prefixed ids like the new ones", () => {
    const raw = fixture("dockerfile.json.golden");
    const m = raw.Results[0].Misconfigurations;
    m.push({ ...m[0], Status: "PASS", ID: "DS-0001" });
    const old = fixture("dockerfile.json.golden");
    old.Results[0].Misconfigurations[0].ID = "DS002";
    old.Results[0].Misconfigurations[0].AVDID = "AVD-DS-0002";
    const r = parseTrivyReport(raw);
    expect(r.findings).toHaveLength(1);
    expect(r.stats.passedChecks).toBe(1);
    expect(parseTrivyReport(old).findings[0]?.fingerprint).toBe(r.findings[0]?.fingerprint);
  });

  it("maps Kubernetes checks to MITRE", () => {
    const raw = fixture("dockerfile.json.golden");
    raw.Results[0].Misconfigurations = [
      { ID: "KSV017", Title: "Privileged container", Severity: "HIGH", Status: "FAIL", CauseMetadata: { Resource: "Deployment/a" } },
      { ID: "KSV017", Title: "Privileged container", Severity: "HIGH", Status: "FAIL", CauseMetadata: { Resource: "Deployment/b" } },
      { ID: "KSV001", Title: "Can elevate its own privileges", Severity: "MEDIUM", Status: "FAIL" },
    ];
    const r = parseTrivyReport(raw);
    expect(r.findings.map((f) => [f.ruleId, f.mitreTechniques])).toEqual([["KSV-0017", ["T1611"]], ["KSV-0017", ["T1611"]], ["KSV-0001", ["T1068"]]]);
  });
});

describe("secrets (secrets.json.golden)", () => {
  const raw = fixture("secrets.json.golden");
  const r = parseTrivyReport(raw);

  it("keeps rule, category, file, line and Trivy's masked match", () => {
    const expected = (raw.Results as Raw[]).flatMap((x) => (x.Secrets ?? []) as Raw[]);
    expect(r.findings).toHaveLength(expected.length);
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.title, f.target])).toEqual(expected.map((s) => [s.RuleID, s.Severity, s.Title, "deploy.sh"]));
    expect(r.findings[0]).toMatchObject({ type: "SECRET", mitreTechniques: ["T1552.001"] });
    expect(r.findings[0]?.evidence).toEqual({
      category: "AWS", file: "deploy.sh", startLine: 3, endLine: 3, maskedMatch: "export AWS_ACCESS_KEY_ID=********************", secretHash: null, layerDigest: null,
    });
  });

  it("never outputs the clear text that appears in the report's context lines", () => {
    const out = JSON.stringify(r);
    const clear = "ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(JSON.stringify(raw)).toContain(clear);
    for (let i = 0; i + 8 <= clear.length; i++) expect(out).not.toContain(clear.slice(i, i + 8));
    expect(out).not.toContain("#!/bin/sh");
  });

  it("masks and hashes a clear value when a scanner did not mask it", () => {
    const clearRaw = fixture("secrets.json.golden");
    const line = "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE";
    const s = clearRaw.Results[0].Secrets[0];
    s.Match = line;
    s.Code.Lines[2].Content = line;
    s.Code.Lines[2].Highlighted = line;
    const f = parseTrivyReport(clearRaw).findings[0];
    expect(f?.evidence.maskedMatch).toBe(`expo\u2026(${line.length})`);
    expect(f?.evidence.secretHash).toBe(hashSecret(line));
    expect(JSON.stringify(parseTrivyReport(clearRaw))).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });
});

describe("bad input", () => {
  it("rejects non-objects at the root", () => {
    for (const bad of [null, 42, "x", [], true]) expect(validationFields(() => parseTrivyReport(bad))[0]?.path).toBe("(root)");
  });

  it("rejects other schema versions naming SchemaVersion", () => {
    for (const v of [1, 3, "2", undefined]) {
      const raw = fixture("alpine-310.json.golden");
      raw.SchemaVersion = v;
      const fields = validationFields(() => parseTrivyReport(raw));
      expect(fields[0]?.path).toBe("SchemaVersion");
    }
  });

  it("names the path of a malformed vulnerability", () => {
    const raw = fixture("alpine-310.json.golden");
    delete raw.Results[0].Vulnerabilities[2].PkgName;
    raw.Results[0].Vulnerabilities[3].CVSS.nvd.V3Score = "high";
    const paths = validationFields(() => parseTrivyReport(raw)).map((f) => f.path);
    expect(paths).toContain("Results.0.Vulnerabilities.2.PkgName");
    expect(paths).toContain("Results.0.Vulnerabilities.3.CVSS.nvd.V3Score");
  });

  it("rejects wrong container types without throwing TypeErrors", () => {
    const raw = fixture("alpine-310.json.golden");
    raw.Results = { 0: raw.Results[0] };
    expect(validationFields(() => parseTrivyReport(raw))[0]?.path).toBe("Results");
    const raw2 = fixture("alpine-310.json.golden");
    raw2.Results[0] = "oops";
    expect(validationFields(() => parseTrivyReport(raw2))[0]?.path).toBe("Results.0");
  });

  it("caps absurd array sizes", () => {
    const raw = { SchemaVersion: 2, ArtifactName: "x", Results: new Array(10_001).fill({ Target: "t" }) };
    expect(validationFields(() => parseTrivyReport(raw))[0]?.path).toBe("Results");
    const v = { VulnerabilityID: "CVE-1", PkgName: "p", InstalledVersion: "1" };
    const many = { SchemaVersion: 2, Results: [{ Target: "t", Vulnerabilities: new Array(100_001).fill(v) }] };
    expect(validationFields(() => parseTrivyReport(many))[0]?.path).toBe("Results.0.Vulnerabilities");
  });

  it("accepts a minimal report with null arrays", () => {
    const r = parseTrivyReport({ SchemaVersion: 2, ArtifactName: "repo", ArtifactType: "repository", Results: [{ Target: "x", Vulnerabilities: null }] });
    expect(r.findings).toEqual([]);
    expect(parseTrivyReport({ SchemaVersion: 2 }).findings).toEqual([]);
  });
});

describe("packages", () => {
  it("normalizes Results[].Packages with purl, ecosystem, license and rpm epoch; deduplicated", () => {
    const raw = {
      SchemaVersion: 2,
      ArtifactName: "centos:7",
      ArtifactType: "container_image",
      Metadata: { OS: { Family: "centos", Name: "7.6.1810" }, ImageID: `sha256:${"c".repeat(64)}` },
      Results: [
        {
          Target: "centos:7 (centos 7.6.1810)", Class: "os-pkgs", Type: "centos",
          Packages: [
            { Name: "openssl-libs", Version: "1.0.2k", Release: "16.el7", Epoch: 1, Licenses: ["OpenSSL"], Identifier: { PURL: "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810" } },
            { Name: "openssl-libs", Version: "1.0.2k", Release: "16.el7", Epoch: 1 },
            { Name: "bash", Version: "4.2.46", Release: "31.el7" },
          ],
        },
        { Target: "app/package-lock.json", Class: "lang-pkgs", Type: "npm", Packages: [{ Name: "lodash", Version: "4.17.20", Licenses: ["MIT"], Identifier: { PURL: "pkg:npm/lodash@4.17.20" } }] },
      ],
    };
    const r = parseTrivyReport(raw);
    expect(r.packages).toEqual([
      { ecosystem: "Red Hat", name: "openssl-libs", version: "1:1.0.2k-16.el7", purl: "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810", license: "OpenSSL", srcName: null, srcVersion: null },
      { ecosystem: "Red Hat", name: "bash", version: "4.2.46-31.el7", purl: null, license: null, srcName: null, srcVersion: null },
      { ecosystem: "npm", name: "lodash", version: "4.17.20", purl: "pkg:npm/lodash@4.17.20", license: "MIT", srcName: null, srcVersion: null },
    ]);
    expect(r.stats.packages).toBe(3);
  });
});

describe("source packages", () => {
  it("keeps a distro binary's source package and version (advisories name sources), composed like the binary's", () => {
    const doc = {
      SchemaVersion: 2,
      ArtifactName: "debian:12",
      ArtifactType: "container_image",
      Metadata: { OS: { Family: "debian", Name: "12.4" }, RepoDigests: [`debian@sha256:${"a".repeat(64)}`] },
      Results: [
        {
          Target: "debian:12 (debian 12.4)",
          Class: "os-pkgs",
          Type: "debian",
          Packages: [
            { Name: "libssl3", Version: "3.0.11-1~deb12u2", SrcName: "openssl", SrcVersion: "3.0.11-1~deb12u2" },
            { Name: "bash", Version: "5.2.15-2+b2", SrcName: "bash", SrcVersion: "5.2.15-2" },
            { Name: "tzdata", Version: "2024a-0+deb12u1", SrcName: "tzdata", SrcVersion: "2024a-0+deb12u1" },
          ],
        },
        { Target: "rpm", Class: "os-pkgs", Type: "redhat", Packages: [{ Name: "openssl-libs", Version: "1.0.2k", Release: "16.el7", Epoch: 1, SrcName: "openssl", SrcVersion: "1.0.2k", SrcRelease: "16.el7", SrcEpoch: 1 }] },
      ],
    };
    const pkgs = parseTrivyReport(doc).packages.map((p) => [p.name, p.version, p.srcName, p.srcVersion]);
    expect(pkgs).toEqual([
      ["libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"],
      // A binNMU (+b2) is built from the source version without it.
      ["bash", "5.2.15-2+b2", "bash", "5.2.15-2"],
      // Its own source at its own version: nothing to keep.
      ["tzdata", "2024a-0+deb12u1", null, null],
      ["openssl-libs", "1:1.0.2k-16.el7", "openssl", "1:1.0.2k-16.el7"],
    ]);
  });
});
