// RPM versions ([epoch:]version[-release]) for Red Hat, Rocky, AlmaLinux, SUSE, openSUSE, Mageia …
// Segment comparison is rpm's rpmvercmp (lib/rpmvercmp.c) including '~' (sorts before anything)
// and '^' (sorts after the base version, before the next segment).
import {
  type Ordering,
  type VersionSchemeImpl,
  compareDigits,
  compareStrings,
  hasSpaceOrControl,
  isAsciiAlpha,
  isAsciiDigit,
  stripLeadingZeros,
} from "./scheme.ts";

export interface RpmVersion {
  /** Digits without leading zeros ("0" when absent). */
  epoch: string;
  version: string;
  /** "" when the string had no release. */
  release: string;
}

function isAlnum(code: number): boolean {
  return isAsciiDigit(code) || isAsciiAlpha(code);
}

const TILDE = 126;
const CARET = 94;

/** rpm's rpmvercmp on two version (or release) strings. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = j < b.length ? b.charCodeAt(j) : 0;

    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // '^' is like '~' except that a version that ended is older than one with a caret part.
    if (ca === CARET || cb === CARET) {
      if (ca === 0) return -1;
      if (cb === 0) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === 0 || cb === 0) break;

    const isNum = isAsciiDigit(ca);
    const segment = isNum ? isAsciiDigit : isAsciiAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && segment(a.charCodeAt(ei))) ei++;
    while (ej < b.length && segment(b.charCodeAt(ej))) ej++;
    // Different segment types (one numeric, the other alpha): numeric is newer.
    if (ej === j) return isNum ? 1 : -1;
    const sa = a.slice(i, ei);
    const sb = b.slice(j, ej);
    const r = isNum ? compareDigits(sa, sb) : compareStrings(sa, sb);
    if (r !== 0) return r;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

const EPOCH = /^[0-9]*$/;

/**
 * Splits like rpm's parseEVR: the epoch is the digits before the first ':', the release follows
 * the last '-'. rpm accepts nearly any bytes; whitespace, control characters, a non-numeric epoch
 * or a version without any letter or digit are rejected here as not being versions at all.
 */
export function parseRpmVersion(s: string): RpmVersion | null {
  if (s === "" || hasSpaceOrControl(s)) return null;
  let epoch = "0";
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    const epochText = s.slice(0, colon);
    if (!EPOCH.test(epochText)) return null;
    if (epochText !== "") epoch = stripLeadingZeros(epochText);
    rest = s.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf("-");
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const release = hyphen >= 0 ? rest.slice(hyphen + 1) : "";
  if (!/[0-9A-Za-z]/.test(version)) return null;
  if (release.includes(":")) return null;
  return { epoch, version, release };
}

/**
 * Epoch, then version, then release. A missing release compares as "" and therefore older than any
 * release (as go-rpm-version/Trivy do); rpm's dependency solver would instead ignore the release,
 * which is not a total order.
 */
export function compareRpmVersions(a: RpmVersion, b: RpmVersion): Ordering {
  return compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

export const rpmScheme: VersionSchemeImpl<RpmVersion> = {
  name: "rpm",
  parse: parseRpmVersion,
  compare: compareRpmVersions,
};
