// Debian/Ubuntu package versions: [epoch:]upstream[-revision], ordered as dpkg does it
// (lib/dpkg/version.c parseversion + verrevcmp). Written from the algorithm, not a port of a library:
// npm has no maintained, browser-safe dpkg comparator.
import { type Ordering, type VersionSchemeImpl, compareDigits, isAsciiAlpha, isAsciiDigit, sign } from "./scheme.ts";

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  /** "" when the version has no Debian revision (native packages); dpkg compares it as empty. */
  revision: string;
}

// dpkg trims these (C isspace) around the whole string; any inside is an error.
const EDGE_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const INNER_SPACE = /[ \t\n\v\f\r]/;
const UPSTREAM_CHARS = /^[0-9A-Za-z.+~:-]+$/;
const REVISION_CHARS = /^[0-9A-Za-z.+~]*$/;
const EPOCH = /^[0-9]+$/;
const INT_MAX = 2147483647;

/**
 * Parses like dpkg's parseversion. Inputs dpkg merely warns about (upstream not starting with a
 * digit, characters outside the allowed sets) are rejected too: for vulnerability matching a string
 * dpkg would complain about is far more likely garbage than a real package version.
 */
export function parseDpkgVersion(raw: string): DpkgVersion | null {
  const s = raw.replace(EDGE_SPACE, "");
  if (s === "" || INNER_SPACE.test(s)) return null;

  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    const epochText = s.slice(0, colon);
    if (!EPOCH.test(epochText)) return null;
    // dpkg rejects epochs that overflow an int; compare as numbers below that.
    if (compareDigits(epochText, String(INT_MAX)) > 0) return null;
    epoch = Number(epochText);
    rest = s.slice(colon + 1);
    if (rest === "") return null;
  }

  const hyphen = rest.lastIndexOf("-");
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : "";
  if (upstream === "") return null;
  if (!isAsciiDigit(upstream.charCodeAt(0))) return null;
  if (!UPSTREAM_CHARS.test(upstream) || !REVISION_CHARS.test(revision)) return null;
  return { epoch, upstream, revision };
}

// Sort weight of a non-digit character: '~' before end-of-part, letters before everything else.
function order(code: number): number {
  if (Number.isNaN(code) || isAsciiDigit(code)) return 0;
  if (isAsciiAlpha(code)) return code;
  if (code === 126) return -1; // '~'
  return code + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs; '~' sorts before the end of a part. */
export function verrevcmp(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isAsciiDigit(a.charCodeAt(i))) || (j < b.length && !isAsciiDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return sign(ac - bc);
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isAsciiDigit(a.charCodeAt(i)) && isAsciiDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isAsciiDigit(a.charCodeAt(i))) return 1;
    if (isAsciiDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return sign(firstDiff);
  }
  return 0;
}

export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): Ordering {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const dpkgScheme: VersionSchemeImpl<DpkgVersion> = {
  name: "dpkg",
  parse: parseDpkgVersion,
  compare: compareDpkgVersions,
};
