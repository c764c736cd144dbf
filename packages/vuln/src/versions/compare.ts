// Entry points for ordering versions: scheme registry, a bounded parse cache and comparators.
// Matching compares one installed version against many range bounds, millions of times per run,
// so every distinct string is parsed once per scheme and the parsed forms are compared.
import type { VersionScheme } from "../types.ts";
import { apkScheme } from "./apk.ts";
import { dpkgScheme } from "./dpkg.ts";
import { versionSchemeOf } from "./ecosystems.ts";
import { VersionError } from "./errors.ts";
import { goScheme } from "./go.ts";
import { mavenScheme } from "./maven.ts";
import { nugetScheme } from "./nuget.ts";
import { pep440Scheme } from "./pep440.ts";
import { rpmScheme } from "./rpm.ts";
import { rubygemsScheme } from "./rubygems.ts";
import type { Ordering, VersionSchemeImpl } from "./scheme.ts";
import { semverScheme } from "./semver.ts";

const SCHEMES: Readonly<Record<VersionScheme, VersionSchemeImpl<unknown>>> = {
  dpkg: dpkgScheme as VersionSchemeImpl<unknown>,
  apk: apkScheme as VersionSchemeImpl<unknown>,
  rpm: rpmScheme as VersionSchemeImpl<unknown>,
  semver: semverScheme as VersionSchemeImpl<unknown>,
  pep440: pep440Scheme as VersionSchemeImpl<unknown>,
  go: goScheme as VersionSchemeImpl<unknown>,
  maven: mavenScheme as VersionSchemeImpl<unknown>,
  rubygems: rubygemsScheme as VersionSchemeImpl<unknown>,
  nuget: nugetScheme as VersionSchemeImpl<unknown>,
};

/** Longer strings are not versions; bounding them keeps parsing (and the cache) cheap. */
export const MAX_VERSION_LENGTH = 256;

/** Entries kept per scheme; the oldest entry is dropped first once full. */
export const VERSION_CACHE_LIMIT = 50_000;

const INVALID = Symbol("invalid");
const caches = new Map<VersionScheme, Map<string, unknown>>();

export function versionSchemeImpl(scheme: VersionScheme): VersionSchemeImpl<unknown> {
  return SCHEMES[scheme];
}

function cachedParse(scheme: VersionScheme, version: string): unknown {
  let cache = caches.get(scheme);
  if (cache === undefined) {
    cache = new Map();
    caches.set(scheme, cache);
  }
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const parsed = version.length > MAX_VERSION_LENGTH ? null : SCHEMES[scheme].parse(version);
  const entry = parsed === null ? INVALID : parsed;
  if (cache.size >= VERSION_CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(version, entry);
  return entry;
}

/**
 * The parsed form of `version` (opaque; only meaningful to `compareParsed` of the same scheme).
 * Throws VersionError("unparsable") labelled with `ecosystem` for error messages.
 */
export function parseVersion(scheme: VersionScheme, version: string, ecosystem: string = scheme): unknown {
  const parsed = cachedParse(scheme, version);
  if (parsed === INVALID) throw new VersionError("unparsable", ecosystem, version);
  return parsed;
}

export function isValidVersion(scheme: VersionScheme, version: string): boolean {
  return cachedParse(scheme, version) !== INVALID;
}

export type VersionCompare = (a: string, b: string) => Ordering;

/** A comparator for one scheme backed by the parse cache; `ecosystem` only labels errors. */
export function compareWith(scheme: VersionScheme, ecosystem: string = scheme): VersionCompare {
  const impl = SCHEMES[scheme];
  return (a, b) => impl.compare(parseVersion(scheme, a, ecosystem), parseVersion(scheme, b, ecosystem));
}

/** The scheme of an OSV ecosystem, or VersionError("unknown-ecosystem"). */
export function requireVersionScheme(ecosystem: string): VersionScheme {
  const scheme = versionSchemeOf(ecosystem);
  if (scheme === null) throw new VersionError("unknown-ecosystem", ecosystem, "");
  return scheme;
}

export function comparatorFor(ecosystem: string): VersionCompare {
  return compareWith(requireVersionScheme(ecosystem), ecosystem);
}

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b` in `ecosystem`'s version scheme. */
export function compareVersions(ecosystem: string, a: string, b: string): Ordering {
  const scheme = requireVersionScheme(ecosystem);
  return SCHEMES[scheme].compare(parseVersion(scheme, a, ecosystem), parseVersion(scheme, b, ecosystem));
}

/** Drops every cached parse (tests, or a long-lived process after a large batch). */
export function clearVersionCache(): void {
  caches.clear();
}
