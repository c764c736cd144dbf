// Does an advisory's `affected[].package.ecosystem` apply to a package seen in ecosystem X?
// OSV distro ecosystems carry a release ("Debian:12", "Alpine:v3.18", "Ubuntu:22.04:LTS"); an advisory
// without a release applies to every release of that distro, one with a release only to that one.
import { ecosystemBase } from "../versions/ecosystems.ts";

// Ubuntu's OSV names mark the support stream with extra components ("Ubuntu:Pro:18.04:LTS",
// "Ubuntu:22.04:LTS"): the package set is the release's, so these markers do not make a different
// release. FIPS streams ("Ubuntu:Pro:FIPS:22.04:LTS") ship different builds and stay distinct.
const UBUNTU_STREAM_MARKERS = new Set(["lts", "pro"]);

// Distros whose advisories name a major release while scanners often report the point release
// (/etc/os-release VERSION_ID "12" vs "12.5", Rocky "9.3").
const MAJOR_RELEASE_ONLY = new Set(["debian", "rocky linux", "almalinux"]);

/** Base and release of an ecosystem in a comparable form; release is "" when there is none. */
export function normalizeEcosystem(ecosystem: string): { base: string; release: string } {
  const trimmed = ecosystem.trim();
  const base = ecosystemBase(trimmed);
  const key = base.toLowerCase();
  const colon = trimmed.indexOf(":");
  let release = colon >= 0 ? trimmed.slice(colon + 1).trim() : "";

  if (key === "ubuntu") {
    release = release
      .split(":")
      .filter((part) => part !== "" && !UBUNTU_STREAM_MARKERS.has(part.toLowerCase()))
      .join(":");
  } else if (key === "alpine") {
    // OSV: "v3.18"; scanners: "3.18.4". Alpine advisories are per minor release.
    const m = /^v?(\d+)\.(\d+)(?:\.\d+)*$/.exec(release);
    if (m) release = `v${m[1]}.${m[2]}`;
  } else if (MAJOR_RELEASE_ONLY.has(key)) {
    const m = /^(\d+)(?:\.\d+)*$/.exec(release);
    if (m) release = m[1] as string;
  }
  return { base: key, release };
}

/**
 * True when an advisory for `advisoryEcosystem` covers packages of `packageEcosystem`: the same
 * ecosystem (after the normalisations above), or the advisory names no release and the base matches.
 */
export function ecosystemMatches(advisoryEcosystem: string, packageEcosystem: string): boolean {
  if (advisoryEcosystem === packageEcosystem) return true;
  const adv = normalizeEcosystem(advisoryEcosystem);
  const pkg = normalizeEcosystem(packageEcosystem);
  if (adv.base !== pkg.base) return false;
  return adv.release === "" || adv.release === pkg.release;
}
