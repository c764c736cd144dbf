import { LANGUAGE_BY_PURL_TYPE, osvPackageName } from "@bulwark/vuln";
import { PackageURL } from "packageurl-js";

// Package coordinates → OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field).
// Distro ecosystems carry the release the advisories are published for ("Alpine:v3.10", "Debian:10").
// Red Hat's OSV ecosystem strings are CPE-like ("Red Hat:enterprise_linux:7::server") and cannot be
// derived from a purl, so RHEL and CentOS packages are "Red Hat" without a release. The
// purl type → language ecosystem table and the naming rule come from @bulwark/vuln, which reads
// advisories, so both sides spell packages the same way.

// Trivy result `Type` values for language packages.
const LANGUAGE_BY_TRIVY_TYPE: Readonly<Record<string, string>> = {
  npm: "npm", yarn: "npm", pnpm: "npm", "node-pkg": "npm", bun: "npm",
  pip: "PyPI", pipenv: "PyPI", poetry: "PyPI", uv: "PyPI", "python-pkg": "PyPI",
  gomod: "Go", gobinary: "Go",
  jar: "Maven", pom: "Maven", gradle: "Maven", sbt: "Maven",
  bundler: "RubyGems", gemspec: "RubyGems",
  cargo: "crates.io", "rust-binary": "crates.io",
  composer: "Packagist", "composer-vendor": "Packagist",
  nuget: "NuGet", "dotnet-core": "NuGet", "packages-props": "NuGet",
  pub: "Pub", hex: "Hex", swift: "SwiftURL", conan: "ConanCenter",
};

function majorMinor(release: string): string | null {
  const m = /^v?(\d+)\.(\d+)/.exec(release);
  return m ? `${m[1]}.${m[2]}` : null;
}

function major(release: string): string | null {
  const m = /^v?(\d+)/.exec(release);
  return m ? (m[1] ?? null) : null;
}

/** OS family (Trivy Metadata.OS.Family, purl namespace, CycloneDX OS name) + release → ecosystem. */
export function osEcosystem(family: string, release: string | null): string {
  const f = family.trim().toLowerCase();
  const r = release?.trim() ?? "";
  const withRelease = (name: string, rel: string | null) => (rel ? `${name}:${rel}` : name);
  switch (f) {
    case "alpine": {
      const mm = majorMinor(r);
      return withRelease("Alpine", mm ? `v${mm}` : null);
    }
    case "debian":
      return withRelease("Debian", major(r));
    case "ubuntu":
      return withRelease("Ubuntu", majorMinor(r));
    case "centos":
    case "redhat":
    case "rhel":
    case "red hat":
      return "Red Hat";
    case "rocky":
    case "rockylinux":
      return withRelease("Rocky Linux", major(r));
    case "alma":
    case "almalinux":
      return withRelease("AlmaLinux", major(r));
    case "wolfi":
      return "Wolfi";
    case "chainguard":
      return "Chainguard";
    case "photon":
      return withRelease("Photon OS", majorMinor(r));
    case "opensuse":
    case "opensuse-leap":
    case "opensuse.leap":
    case "opensuse-tumbleweed":
    case "opensuse.tumbleweed":
      return "openSUSE";
    case "suse":
    case "sles":
    case "suse linux enterprise server":
      return "SUSE";
    default:
      return withRelease(f || "unknown", major(r));
  }
}

const OS_PURL_TYPES = new Set(["apk", "deb", "rpm", "alpm"]);

/** Splits a purl `distro` qualifier: "debian-12" → [debian, 12]; "3.18.4" → [null, 3.18.4]. */
export function splitDistro(distro: string): { family: string | null; release: string | null } {
  const d = distro.trim();
  if (/^v?\d/.test(d)) return { family: null, release: d };
  const m = /^([a-z][a-z._ ]*?)[-_:]?(v?\d[\w.:~+-]*)$/i.exec(d);
  if (m) return { family: m[1] ?? null, release: m[2] ?? null };
  // A codename ("bookworm") names no family of its own; the purl namespace decides.
  return { family: null, release: d || null };
}

export function parsePurl(purl: string): PackageURL | null {
  try {
    return PackageURL.fromString(purl);
  } catch {
    return null;
  }
}

// Parsing a purl costs ~10 µs with packageurl-js, and the same purls recur across every image built on
// the same base, so their ecosystems are remembered process-wide (bounded: emptied when full).
const ECOSYSTEM_CACHE_MAX = 50_000;
const ecosystemByPurl = new Map<string, string | null>();

/** The OSV ecosystem of a purl string, or null when it does not parse. */
export function ecosystemOfPurl(purl: string): string | null {
  const cached = ecosystemByPurl.get(purl);
  if (cached !== undefined) return cached;
  const parsed = parsePurl(purl);
  const ecosystem = parsed ? ecosystemFromPurl(parsed) : null;
  if (ecosystemByPurl.size >= ECOSYSTEM_CACHE_MAX) ecosystemByPurl.clear();
  ecosystemByPurl.set(purl, ecosystem);
  return ecosystem;
}

export function ecosystemFromPurl(p: PackageURL): string {
  const type = p.type.toLowerCase();
  if (OS_PURL_TYPES.has(type)) {
    const distro = p.qualifiers?.["distro"];
    const split = distro ? splitDistro(distro) : { family: null, release: null };
    const family = split.family ?? p.namespace ?? type;
    return osEcosystem(family, split.release);
  }
  return LANGUAGE_BY_PURL_TYPE[type] ?? type;
}

/** Package name as OSV spells it for the ecosystem (npm "@scope/x", Maven "group:artifact", Go module path). */
export function packageNameFromPurl(p: PackageURL): string {
  return osvPackageName(p.type, p.namespace, p.name);
}

/** rpm versions carry the epoch as a qualifier; scanners and advisories write it "1:1.0.2k-16.el7". */
export function packageVersionFromPurl(p: PackageURL): string | null {
  if (!p.version) return null;
  const epoch = p.qualifiers?.["epoch"];
  if (p.type.toLowerCase() === "rpm" && epoch && epoch !== "0" && !p.version.includes(":")) return `${epoch}:${p.version}`;
  return p.version;
}

/** Trivy result Type ("alpine", "npm", "jar"…) + the report's OS → ecosystem, for packages without a purl. */
export function ecosystemFromTrivyType(resultType: string | null, os: { family: string; name: string | null } | null): string {
  const t = (resultType ?? "").toLowerCase();
  const lang = LANGUAGE_BY_TRIVY_TYPE[t];
  if (lang) return lang;
  if (os && (t === "" || t === os.family.toLowerCase())) return osEcosystem(os.family, os.name);
  return t ? osEcosystem(t, os?.name ?? null) : "unknown";
}

/**
 * A distro binary's source package, as Trivy reports it (SrcName, SrcVersion, SrcRelease, SrcEpoch),
 * when it differs from the binary: advisories for Debian, Ubuntu, Alpine and RPM distros name source
 * packages (libssl3 is built from openssl), so matching needs both.
 */
export function sourcePackage(
  name: string,
  version: string,
  srcName: string | null | undefined,
  srcVersion: string | null | undefined,
  srcRelease?: string | null,
  srcEpoch?: number | string | null,
): { srcName: string | null; srcVersion: string | null } {
  if (!srcName) return { srcName: null, srcVersion: null };
  let v = srcVersion ?? null;
  if (v && srcRelease) v = `${v}-${srcRelease}`;
  const epoch = typeof srcEpoch === "string" ? Number(srcEpoch) : srcEpoch;
  if (v && epoch && epoch > 0) v = `${epoch}:${v}`;
  if (srcName === name && (v === null || v === version)) return { srcName: null, srcVersion: null };
  return { srcName, srcVersion: v };
}
