import { advisory, fixedVersion } from "./advisories.ts";
import { type ImageSpec, type PackageSpec, purl } from "./images.ts";
import { digestFor, hexFor, parseImageRef, sha256, uuidFor } from "./util.ts";

// Image scans as the scanners print them: `trivy image -f json` (SchemaVersion 2) with OS and language
// packages, vulnerabilities from the seed's advisories, secrets and image-config (Dockerfile) checks;
// and `trivy image -f cyclonedx` SBOMs. The shapes follow Trivy's own golden files
// (packages/core/src/ingest/__fixtures__/trivy).

const TRIVY_VERSION = "0.50.1";

/**
 * Advisories the older scans still listed and the current ones no longer do: a routine vulnerability
 * database correction (here, the GCC AArch64 issue on amd64 builds), so the current scans resolve them.
 */
export const WITHDRAWN = new Set(["CVE-2023-4039"]);

const DOCKERFILE_CHECKS: Record<string, { title: string; description: string; message: string; resolution: string; severity: string }> = {
  DS002: {
    title: "Image user should not be 'root'",
    description: "Running containers with 'root' user can lead to a container escape situation. It is a best practice to run containers as non-root users, which can be done by adding a 'USER' statement to the Dockerfile.",
    message: "Specify at least 1 USER command in Dockerfile with non-root user as argument",
    resolution: "Add 'USER <non root user name>' line to the Dockerfile",
    severity: "HIGH",
  },
  DS026: {
    title: "No HEALTHCHECK defined",
    description: "You should add HEALTHCHECK instruction in your docker container images to perform the health check on running containers.",
    message: "Add HEALTHCHECK instruction in your Dockerfile",
    resolution: "Add HEALTHCHECK instruction in Dockerfile",
    severity: "LOW",
  },
};

const iso = (d: Date) => d.toISOString();

/** How people write the reference (Docker Hub's defaults left out), which is what Trivy echoes back. */
export function shortRef(ref: string): { name: string; tagged: string } {
  const p = parseImageRef(ref);
  const name = p.registryHost === "docker.io" ? p.repository.replace(/^library\//, "") : `${p.registryHost}/${p.repository}`;
  return { name, tagged: `${name}:${p.tag}` };
}

const layerOf = (img: ImageSpec, what: string) => ({ Digest: `sha256:${hexFor(`${img.ref}|layer|${what}`)}`, DiffID: `sha256:${hexFor(`${img.ref}|diff|${what}`)}` });

interface LangGroup {
  target: string;
  type: string;
  path: (p: PackageSpec) => string | null;
}

function langGroup(img: ImageSpec, p: PackageSpec): LangGroup | null {
  const app = parseImageRef(img.ref).repository.split("/").pop() ?? "app";
  switch (p.ecosystem) {
    case "golang":
      return { target: `usr/local/bin/${app}`, type: "gobinary", path: () => null };
    case "npm":
      return { target: "Node.js", type: "node-pkg", path: (x) => `app/node_modules/${x.name}/package.json` };
    case "pypi":
      return { target: "Python", type: "python-pkg", path: (x) => `usr/local/lib/python3.11/site-packages/${x.name}-${x.version}.dist-info/METADATA` };
    default:
      return null;
  }
}

function vulnerabilities(img: ImageSpec, pkgs: PackageSpec[], path: (p: PackageSpec) => string | null, withdrawn: boolean) {
  return pkgs.flatMap((p) =>
    (p.vulns ?? [])
      .filter((id) => withdrawn || !WITHDRAWN.has(id))
      .map((id) => {
        const a = advisory(id);
        const fixed = fixedVersion(id, p.ecosystem, p.name);
        const pkgPath = path(p);
        return {
          VulnerabilityID: id,
          PkgID: `${p.name}@${p.version}`,
          PkgName: p.name,
          ...(pkgPath ? { PkgPath: pkgPath } : {}),
          PkgIdentifier: { PURL: purl(p, img.os), UID: sha256(`${img.ref}|${p.name}`).slice(0, 16) },
          InstalledVersion: p.version,
          ...(fixed ? { FixedVersion: fixed } : {}),
          Status: fixed ? "fixed" : "affected",
          Layer: layerOf(img, p.ecosystem),
          SeveritySource: a.source,
          PrimaryURL: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
          DataSource: { ID: a.source, Name: a.source === "ghsa" ? "GitHub Security Advisory" : "National Vulnerability Database", URL: a.source === "ghsa" ? "https://github.com/advisories" : "https://nvd.nist.gov" },
          Title: a.title,
          Description: a.summary,
          Severity: a.severity,
          CweIDs: [],
          CVSS: { nvd: { ...(a.cvssVector ? { V3Vector: a.cvssVector } : {}), V3Score: a.cvssScore } },
          References: [`https://nvd.nist.gov/vuln/detail/${id}`, ...a.aliases.filter((x) => x.startsWith("GHSA-")).map((x) => `https://github.com/advisories/${x}`)],
          PublishedDate: `${a.publishedAt}T15:15:00Z`,
          LastModifiedDate: `${a.modifiedAt}T12:00:00Z`,
        };
      }),
  );
}

function packages(img: ImageSpec, pkgs: PackageSpec[], path: (p: PackageSpec) => string | null) {
  return pkgs.map((p) => {
    const filePath = path(p);
    return {
      ID: `${p.name}@${p.version}`,
      Name: p.name,
      Version: p.version,
      Identifier: { PURL: purl(p, img.os), UID: sha256(`${img.ref}|${p.name}`).slice(0, 16) },
      ...(p.license ? { Licenses: [p.license] } : {}),
      ...(filePath ? { FilePath: filePath } : {}),
      Layer: layerOf(img, p.ecosystem),
    };
  });
}

/** `trivy image --scanners vuln,secret --image-config-scanners misconfig -f json <ref>` as of `at`. */
export function trivyReport(img: ImageSpec, at: Date, opts: { withdrawn: boolean }): Record<string, unknown> {
  const digest = digestFor(img.ref);
  const { name, tagged } = shortRef(img.ref);
  const osName = img.os?.name.split(" (")[0] ?? null;
  const results: Record<string, unknown>[] = [];
  const osPkgs = img.packages.filter((p) => p.ecosystem === "deb" || p.ecosystem === "apk");
  if (img.os) {
    results.push({
      Target: `${tagged} (${img.os.family} ${osName})`,
      Class: "os-pkgs",
      Type: img.os.family,
      Packages: packages(img, osPkgs, () => null),
      Vulnerabilities: vulnerabilities(img, osPkgs, () => null, opts.withdrawn),
    });
  }
  const groups = new Map<string, { group: LangGroup; pkgs: PackageSpec[] }>();
  for (const p of img.packages) {
    const group = langGroup(img, p);
    if (!group) continue;
    const entry = groups.get(group.target) ?? { group, pkgs: [] };
    entry.pkgs.push(p);
    groups.set(group.target, entry);
  }
  for (const { group, pkgs } of groups.values()) {
    results.push({
      Target: group.target,
      Class: "lang-pkgs",
      Type: group.type,
      Packages: packages(img, pkgs, group.path),
      Vulnerabilities: vulnerabilities(img, pkgs, group.path, opts.withdrawn),
    });
  }
  for (const s of img.secrets ?? []) {
    results.push({
      Target: s.path,
      Class: "secret",
      Secrets: [
        {
          RuleID: s.rule,
          Category: s.category,
          Severity: s.severity,
          Title: s.title,
          StartLine: 1,
          EndLine: 1,
          Code: { Lines: [{ Number: 1, Content: s.match, IsCause: true, Annotation: "", Truncated: false, FirstCause: true, LastCause: true }] },
          Match: s.match,
          Layer: layerOf(img, "app"),
        },
      ],
    });
  }
  if (img.dockerfile?.length) {
    results.push({
      Target: "Dockerfile",
      Class: "config",
      Type: "dockerfile",
      MisconfSummary: { Successes: 27 - img.dockerfile.length, Failures: img.dockerfile.length },
      Misconfigurations: img.dockerfile.map((id) => {
        const c = DOCKERFILE_CHECKS[id];
        if (!c) throw new Error(`seed: unknown Dockerfile check ${id}`);
        const avd = `DS-${id.slice(2).padStart(4, "0")}`;
        return {
          Type: "Dockerfile Security Check",
          ID: avd,
          AVDID: `AVD-${avd}`,
          Title: c.title,
          Description: c.description,
          Message: c.message,
          Namespace: `builtin.dockerfile.${id}`,
          Resolution: c.resolution,
          Severity: c.severity,
          PrimaryURL: `https://avd.aquasec.com/misconfig/${avd.toLowerCase()}`,
          References: [`https://avd.aquasec.com/misconfig/${avd.toLowerCase()}`],
          Status: "FAIL",
          CauseMetadata: { Provider: "Dockerfile", Service: "general" },
        };
      }),
    });
  }
  return {
    SchemaVersion: 2,
    Trivy: { Version: TRIVY_VERSION },
    CreatedAt: iso(at),
    ArtifactName: tagged,
    ArtifactType: "container_image",
    Metadata: {
      ...(img.os ? { OS: { Family: img.os.family, Name: osName } } : {}),
      ImageID: `sha256:${hexFor(`${img.ref}|config`)}`,
      DiffIDs: [layerOf(img, "base").DiffID],
      RepoTags: [tagged],
      RepoDigests: [`${name}@${digest}`],
      ImageConfig: { architecture: "amd64", os: "linux" },
    },
    Results: results,
  };
}

/** `trivy image -f cyclonedx` of the image, as CI publishes it next to the image. */
export function cycloneDx(img: ImageSpec, at: Date): Record<string, unknown> {
  const digest = digestFor(img.ref);
  const { name, tagged } = shortRef(img.ref);
  const p = parseImageRef(img.ref);
  const oci = `pkg:oci/${p.repository.split("/").pop()}@${encodeURIComponent(digest)}?repository_url=${encodeURIComponent(`${p.registryHost}/${p.repository}`)}`;
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${uuidFor(`${img.ref}|sbom`)}`,
    version: 1,
    metadata: {
      timestamp: iso(at),
      tools: { components: [{ type: "application", group: "aquasecurity", name: "trivy", version: TRIVY_VERSION }] },
      component: {
        "bom-ref": oci,
        type: "container",
        name: tagged,
        purl: oci,
        properties: [
          { name: "aquasecurity:trivy:ImageID", value: `sha256:${hexFor(`${img.ref}|config`)}` },
          { name: "aquasecurity:trivy:RepoDigest", value: `${name}@${digest}` },
          { name: "aquasecurity:trivy:RepoTag", value: tagged },
          { name: "aquasecurity:trivy:SchemaVersion", value: "2" },
        ],
      },
    },
    components: [
      ...(img.os ? [{ "bom-ref": uuidFor(`${img.ref}|os`), type: "operating-system", name: img.os.family, version: img.os.name.split(" (")[0] }] : []),
      ...img.packages.map((x) => ({
        "bom-ref": purl(x, img.os),
        type: "library",
        name: x.name,
        version: x.version,
        purl: purl(x, img.os),
        ...(x.license ? { licenses: [{ license: { name: x.license } }] } : {}),
      })),
    ],
  };
}
