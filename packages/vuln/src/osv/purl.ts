import { PackageURL } from "packageurl-js";

// Package identity from a purl, for OSV `affected[]` entries that carry only `package.purl`. The
// language table and the naming rule are shared with core's ingestion (packages/core/src/ingest/
// ecosystem.ts imports them), so an advisory and a scanned package land on the same ecosystem and name.

export const LANGUAGE_BY_PURL_TYPE: Readonly<Record<string, string>> = {
  npm: "npm",
  pypi: "PyPI",
  golang: "Go",
  maven: "Maven",
  gem: "RubyGems",
  cargo: "crates.io",
  nuget: "NuGet",
  composer: "Packagist",
  hex: "Hex",
  pub: "Pub",
  hackage: "Hackage",
  cran: "CRAN",
  swift: "SwiftURL",
  conan: "ConanCenter",
  bitnami: "Bitnami",
  github: "GitHub Actions",
};

// purl namespace of OS packages → OSV ecosystem, and how that ecosystem spells a release suffix.
const OS_BY_NAMESPACE: Readonly<Record<string, { ecosystem: string; release?: (r: string) => string | null }>> = {
  alpine: { ecosystem: "Alpine", release: (r) => majorMinor(r, "v") },
  debian: { ecosystem: "Debian", release: (r) => /^v?(\d+)/.exec(r)?.[1] ?? null },
  ubuntu: { ecosystem: "Ubuntu", release: (r) => majorMinor(r, "") },
  redhat: { ecosystem: "Red Hat" },
  centos: { ecosystem: "Red Hat" },
  rocky: { ecosystem: "Rocky Linux" },
  almalinux: { ecosystem: "AlmaLinux" },
  wolfi: { ecosystem: "Wolfi" },
  chainguard: { ecosystem: "Chainguard" },
  opensuse: { ecosystem: "openSUSE" },
  suse: { ecosystem: "SUSE" },
  photon: { ecosystem: "Photon OS" },
};
const OS_PURL_TYPES = new Set(["apk", "deb", "rpm"]);
const SLASH_NAMESPACED = new Set(["npm", "golang", "composer", "swift", "github"]);

function majorMinor(release: string, prefix: string): string | null {
  const m = /^v?(\d+)\.(\d+)/.exec(release);
  return m ? `${prefix}${m[1]}.${m[2]}` : null;
}

/** The release of a `distro` qualifier: "debian-12" → "12", "alpine-3.18.4" → "3.18.4", "12" → "12". */
function distroRelease(distro: string): string | null {
  const m = /(?:^|[-_:])(v?\d[\w.:~+-]*)$/.exec(distro.trim());
  return m?.[1] ?? null;
}

export interface PurlPackage {
  ecosystem: string;
  name: string;
}

/** Ecosystem and name as OSV spells them, or null when the purl does not parse or has no known type. */
export function packageFromPurl(purl: string): PurlPackage | null {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch {
    return null;
  }
  const type = p.type.toLowerCase();
  const ns = p.namespace ?? null;
  if (OS_PURL_TYPES.has(type)) {
    const os = ns ? OS_BY_NAMESPACE[ns.toLowerCase()] : undefined;
    if (!os) return null;
    const distro = p.qualifiers?.["distro"];
    const release = distro && os.release ? os.release(distroRelease(distro) ?? "") : null;
    return { ecosystem: release ? `${os.ecosystem}:${release}` : os.ecosystem, name: p.name };
  }
  const ecosystem = LANGUAGE_BY_PURL_TYPE[type];
  if (!ecosystem) return null;
  return { ecosystem, name: osvPackageName(type, ns, p.name) };
}

/** Package name as OSV spells it: Maven "group:artifact"; npm scopes, Go module paths, Composer vendors keep their slash. */
export function osvPackageName(type: string, namespace: string | null | undefined, name: string): string {
  if (!namespace) return name;
  const t = type.toLowerCase();
  if (t === "maven") return `${namespace}:${name}`;
  if (SLASH_NAMESPACED.has(t)) return `${namespace}/${name}`;
  return name;
}
