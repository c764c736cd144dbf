// Alpine (apk-tools) versions: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}.
// Tokenizer and ordering follow apk-tools src/version.c (token_first/token_next/token_cmp and
// apk_version_compare_fuzzy without fuzzy matching).
import { type Ordering, type VersionSchemeImpl, compareDigits, compareStrings, isAsciiDigit } from "./scheme.ts";

// The numeric order of these token kinds is the grammar: a token may only follow a smaller kind.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;

// Suffix ranks; NONE is the pivot: below it pre-releases, above it post-releases.
const SUFFIX_RANK: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const SUFFIX_NONE = 5;

export interface ApkToken {
  kind: number;
  /** The raw text of the token (digits, the letter, the suffix name or the hash). */
  text: string;
  /** Suffix rank for SUFFIX tokens, 0 otherwise. */
  suffix: number;
}

export type ApkVersion = readonly ApkToken[];

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isHex(code: number): boolean {
  return isAsciiDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

function takeWhile(s: string, from: number, pred: (code: number) => boolean): number {
  let end = from;
  while (end < s.length && pred(s.charCodeAt(end))) end++;
  return end;
}

/**
 * Tokenizes a version; null when apk_version_validate would reject it. apk itself still orders
 * invalid strings (falling back to partial/string comparison); a scanner must not guess, so
 * invalid input is an error here.
 */
export function parseApkVersion(s: string): ApkVersion | null {
  const tokens: ApkToken[] = [];
  let pos = takeWhile(s, 0, isAsciiDigit);
  if (pos === 0) return null;
  tokens.push({ kind: INITIAL_DIGIT, text: s.slice(0, pos), suffix: 0 });
  let kind = INITIAL_DIGIT;

  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    if (isLower(c)) {
      if (kind > DIGIT) return null;
      kind = LETTER;
      tokens.push({ kind, text: s[pos] as string, suffix: 0 });
      pos++;
    } else if (c === 46 /* . */ || isAsciiDigit(c)) {
      if (c === 46) {
        if (kind > DIGIT) return null;
        pos++;
      }
      if (kind === INITIAL_DIGIT || kind === DIGIT) kind = DIGIT;
      else if (kind === SUFFIX) kind = SUFFIX_NO;
      else return null;
      const end = takeWhile(s, pos, isAsciiDigit);
      if (end === pos) return null;
      tokens.push({ kind, text: s.slice(pos, end), suffix: 0 });
      pos = end;
    } else if (c === 95 /* _ */) {
      if (kind > SUFFIX_NO) return null;
      const end = takeWhile(s, pos + 1, isLower);
      const name = s.slice(pos + 1, end);
      const rank = Object.hasOwn(SUFFIX_RANK, name) ? SUFFIX_RANK[name] : undefined;
      if (rank === undefined) return null;
      kind = SUFFIX;
      tokens.push({ kind, text: name, suffix: rank });
      pos = end;
    } else if (c === 126 /* ~ */) {
      if (kind >= COMMIT_HASH) return null;
      const end = takeWhile(s, pos + 1, isHex);
      if (end === pos + 1) return null;
      kind = COMMIT_HASH;
      tokens.push({ kind, text: s.slice(pos + 1, end), suffix: 0 });
      pos = end;
    } else if (c === 45 /* - */) {
      if (kind >= REVISION_NO || s.charCodeAt(pos + 1) !== 114 /* r */) return null;
      const end = takeWhile(s, pos + 2, isAsciiDigit);
      if (end === pos + 2) return null;
      kind = REVISION_NO;
      tokens.push({ kind, text: s.slice(pos + 2, end), suffix: 0 });
      pos = end;
    } else {
      return null;
    }
  }
  return tokens;
}

// apk_blob_sort: memcmp over the common prefix, then the shorter sorts first.
const blobSort = compareStrings;

function tokenCompare(a: ApkToken, b: ApkToken): Ordering {
  switch (a.kind) {
    case DIGIT:
      // Gentoo rule: a component with a leading zero compares as a string ("1.02" < "1.1").
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return blobSort(a.text, b.text);
      return compareDigits(a.text, b.text);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return compareDigits(a.text, b.text);
    case LETTER:
      return compareStrings(a.text, b.text);
    case SUFFIX:
      return a.suffix === b.suffix ? 0 : a.suffix < b.suffix ? -1 : 1;
    default:
      return blobSort(a.text, b.text);
  }
}

export function compareApkVersions(a: ApkVersion, b: ApkVersion): Ordering {
  let i = 0;
  for (; i < a.length && i < b.length; i++) {
    const ta = a[i] as ApkToken;
    const tb = b[i] as ApkToken;
    if (ta.kind !== tb.kind) break;
    const r = tokenCompare(ta, tb);
    if (r !== 0) return r;
  }
  const ta = a[i];
  const tb = b[i];
  const kindA = ta?.kind ?? END;
  const kindB = tb?.kind ?? END;
  if (kindA === kindB) return 0;
  // Same prefix: the longer version is newer, unless what follows is a pre-release suffix.
  if (kindA === SUFFIX && (ta as ApkToken).suffix < SUFFIX_NONE) return -1;
  if (kindB === SUFFIX && (tb as ApkToken).suffix < SUFFIX_NONE) return 1;
  return kindA > kindB ? -1 : 1;
}

export const apkScheme: VersionSchemeImpl<ApkVersion> = {
  name: "apk",
  parse: parseApkVersion,
  compare: compareApkVersions,
};
