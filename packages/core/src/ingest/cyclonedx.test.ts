import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseCycloneDx } from "./cyclonedx.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw fixture JSON, read independently of the parser
type Raw = any;

function fixture(): Raw {
  return JSON.parse(readFileSync(new URL("./__fixtures__/sbom/trivy-centos-7-cyclonedx-1.5.json", import.meta.url), "utf8"));
}

function firstField(fn: () => unknown): { path: string; message: string } | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    return (err as AppError).fields?.[0];
  }
  throw new Error("expected a VALIDATION_FAILED error");
}

describe("trivy-centos-7-cyclonedx-1.5.json", () => {
  const raw = fixture();
  const r = parseCycloneDx(raw);

  it("turns every component with a purl into one package", () => {
    const withPurl = (raw.components as Raw[]).filter((c) => c.purl);
    expect(r.packages).toHaveLength(withPurl.length);
    expect(r.packages).toHaveLength(2);
    expect(r.stats).toEqual({ components: 3, packages: 2, withoutPurl: 0, invalidPurl: 0 });
    expect(r.packages).toEqual([
      { ecosystem: "Red Hat", name: "bash", version: "4.2.46-31.el7", purl: "pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810", license: "GPLv3+", srcName: null, srcVersion: null },
      {
        ecosystem: "Red Hat",
        name: "openssl-libs",
        version: "1:1.0.2k-16.el7",
        purl: "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810",
        license: "OpenSSL+",
        // Trivy's SrcName property: RHEL advisories name the source package (openssl), not the binary.
        srcName: "openssl",
        srcVersion: "1:1.0.2k-16.el7",
      },
    ]);
  });

  it("reads the OS component and the image from metadata.component", () => {
    expect(r.os).toEqual({ family: "centos", name: "7.6.1810" });
    expect(r.specVersion).toBe("1.5");
    expect(r.serialNumber).toBe("urn:uuid:1455c02d-64ca-453e-a5df-ddfb70a7c804");
    expect(r.image).toEqual({
      name: "ghcr.io/aquasecurity/trivy-test-images:centos-7",
      digest: "sha256:f1cb7c7d58b73eac859c395882eec49d50651244e342cd6c68a5c7809785f427",
      digestSource: "imageId",
      imageId: "sha256:f1cb7c7d58b73eac859c395882eec49d50651244e342cd6c68a5c7809785f427",
      repoTags: ["ghcr.io/aquasecurity/trivy-test-images:centos-7"],
      repoDigests: [],
    });
  });

  it("prefers a repo digest property over the image id", () => {
    const withDigest = fixture();
    const digest = `sha256:${"d".repeat(64)}`;
    withDigest.metadata.component.properties.push({ name: "aquasecurity:trivy:RepoDigest", value: `ghcr.io/aquasecurity/trivy-test-images@${digest}` });
    expect(parseCycloneDx(withDigest).image).toMatchObject({ digest, digestSource: "repoDigest" });
  });
});

describe("other layouts", () => {
  const bom = (components: unknown[], extra: Record<string, unknown> = {}) => ({ bomFormat: "CycloneDX", specVersion: "1.6", components, ...extra });

  it("accepts 1.4 to 1.7 and flattens nested components in document order", () => {
    for (const specVersion of ["1.4", "1.5", "1.6", "1.7"]) {
      const r = parseCycloneDx({
        bomFormat: "CycloneDX",
        specVersion,
        components: [
          {
            type: "application", name: "app", purl: "pkg:npm/app@1.0.0",
            components: [
              { type: "library", name: "core", group: "@babel", version: "7.0.0", purl: "pkg:npm/%40babel/core@7.0.0", licenses: [{ license: { id: "MIT" } }] },
              { type: "library", name: "log4j-core", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", licenses: [{ expression: "Apache-2.0 OR MIT" }], components: [{ type: "library", name: "x", purl: "pkg:apk/alpine/busybox@1.36.1-r2?distro=3.18.4" }] },
            ],
          },
          { type: "file", name: "README" },
          { type: "library", name: "bad", purl: "not-a-purl" },
        ],
      });
      expect(r.packages.map((p) => [p.ecosystem, p.name, p.version, p.license])).toEqual([
        ["npm", "app", "1.0.0", null],
        ["npm", "@babel/core", "7.0.0", "MIT"],
        ["Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "Apache-2.0 OR MIT"],
        ["Alpine:v3.18", "busybox", "1.36.1-r2", null],
      ]);
      expect(r.stats).toEqual({ components: 6, packages: 4, withoutPurl: 1, invalidPurl: 1 });
    }
  });

  it("maps distro qualifiers to release ecosystems and deduplicates", () => {
    const r = parseCycloneDx(bom([
      { type: "library", name: "bash", purl: "pkg:deb/debian/bash@5.2.15-2?distro=debian-12" },
      { type: "library", name: "bash", purl: "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12" },
      { type: "library", name: "bash", purl: "pkg:rpm/centos/bash@4.2.46?distro=centos-7" },
    ]));
    expect(r.packages.map((p) => p.ecosystem)).toEqual(["Debian:12", "Red Hat"]);
  });

  it("reads an oci purl on metadata.component as the manifest digest", () => {
    const digest = `sha256:${"e".repeat(64)}`;
    const r = parseCycloneDx(bom([], { metadata: { component: { type: "container", name: "alpine:3.18", purl: `pkg:oci/alpine@${encodeURIComponent(digest)}?repository_url=index.docker.io%2Flibrary%2Falpine` } } }));
    expect(r.image).toMatchObject({ name: "alpine:3.18", digest, digestSource: "repoDigest" });
    expect(parseCycloneDx(bom([], { metadata: { component: { type: "application", name: "x" } } })).image).toBeNull();
  });
});

describe("bad input", () => {
  it("rejects non-objects and other formats", () => {
    for (const bad of [null, "x", 1, []]) expect(firstField(() => parseCycloneDx(bad))?.path).toBe("(root)");
    expect(firstField(() => parseCycloneDx({ bomFormat: "SPDX", specVersion: "1.5" }))?.path).toBe("bomFormat");
  });

  it("rejects unknown spec versions naming specVersion", () => {
    for (const v of ["1.3", "2.0", 1.5, undefined]) {
      const raw = fixture();
      raw.specVersion = v;
      expect(firstField(() => parseCycloneDx(raw))?.path).toBe("specVersion");
    }
  });

  it("names the path of a malformed nested component", () => {
    const raw = fixture();
    raw.components[0].components = [{ type: "library", name: "ok" }, { type: "library", name: 42 }];
    expect(firstField(() => parseCycloneDx(raw))?.path).toBe("components.0.components.1.name");
    const raw2 = fixture();
    raw2.metadata.component = { type: "container" };
    expect(firstField(() => parseCycloneDx(raw2))?.path).toBe("metadata.component.name");
  });

  it("rejects deep nesting and absurd sizes without overflowing the stack", () => {
    let deep: Record<string, unknown> = { type: "library", name: "leaf" };
    for (let i = 0; i < 10_000; i++) deep = { type: "library", name: `n${i}`, components: [deep] };
    const field = firstField(() => parseCycloneDx({ bomFormat: "CycloneDX", specVersion: "1.5", components: [deep] }));
    expect(field?.message).toMatch(/nested deeper than 32/);
    expect(field?.path.startsWith("components.0.components.0")).toBe(true);

    const many = new Array(100_001).fill({ type: "library", name: "x" });
    expect(firstField(() => parseCycloneDx({ bomFormat: "CycloneDX", specVersion: "1.5", components: many }))?.path).toBe("components");
  });
});
