// Shared shapes and helpers for the per-ecosystem version schemes. Every scheme parses a version
// string once into an opaque form and compares parsed forms, so range matching can reuse the parse.
import type { VersionScheme } from "../types.ts";

export type Ordering = -1 | 0 | 1;

export interface VersionSchemeImpl<P> {
  readonly name: VersionScheme;
  /** The parsed form, or null when the string is not a version of this scheme. */
  parse(version: string): P | null;
  compare(a: P, b: P): Ordering;
}

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Code-unit order, i.e. C's strcmp/memcmp for ASCII and Java's String.compareTo. */
export function compareStrings(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

/**
 * Numeric order of two ASCII digit strings of any length. Version components are often dates or
 * build numbers past 2^53, so converting to Number would silently merge distinct versions.
 */
export function compareDigits(a: string, b: string): Ordering {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whitespace or control characters never belong inside a version string of any scheme. */
export function hasSpaceOrControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b) || c === 0x3000) {
      return true;
    }
  }
  return false;
}
