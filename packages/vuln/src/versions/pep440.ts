// PyPI versions (PEP 440 / packaging.version). Parsing is @renovatebot/pep440's; ordering is
// packaging's _cmpkey, computed once per parsed version so repeated comparisons are cheap.
import { parse } from "@renovatebot/pep440";
import { type Ordering, type VersionSchemeImpl, compareStrings } from "./scheme.ts";

type LocalPart = { num: number; str: null } | { num: null; str: string };

export interface Pep440Version {
  epoch: number;
  /** Release segments with trailing zeros removed (1.0 == 1.0.0). */
  release: readonly number[];
  /** -Infinity: a dev release of the final (sorts first); +Infinity: no pre-release. */
  pre: readonly [string, number] | number;
  /** -Infinity when there is no post-release. */
  post: number;
  /** +Infinity when there is no dev release. */
  dev: number;
  /** null when there is no local label (sorts before any local label). */
  local: readonly LocalPart[] | null;
}

// packaging strips ASCII whitespace around the version; renovate's parser does not.
const EDGE_SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

function num(part: (string | number)[] | null): number | null {
  if (part === null) return null;
  const n = part[1];
  return typeof n === "number" ? n : Number(n);
}

export function parsePep440(raw: string): Pep440Version | null {
  const p = parse(raw.replace(EDGE_SPACE, ""));
  if (p === null) return null;
  const release = [...p.release];
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  const postN = num(p.post);
  const devN = num(p.dev);
  let pre: Pep440Version["pre"];
  if (p.pre !== null) pre = [String(p.pre[0]), num(p.pre) as number];
  else pre = postN === null && devN !== null ? -Infinity : Infinity;
  const local =
    p.local === null
      ? null
      : (p.local as unknown as (string | number)[]).map((part): LocalPart =>
          typeof part === "number" ? { num: part, str: null } : { num: null, str: String(part).toLowerCase() },
        );
  return {
    epoch: p.epoch,
    release,
    pre,
    post: postN ?? -Infinity,
    dev: devN ?? Infinity,
    local,
  };
}

function compareNumbers(a: number, b: number): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: Pep440Version["pre"], b: Pep440Version["pre"]): Ordering {
  if (typeof a === "number" || typeof b === "number") {
    const x = typeof a === "number" ? a : 0;
    const y = typeof b === "number" ? b : 0;
    return compareNumbers(x, y);
  }
  // "a" < "b" < "rc" alphabetically, which is the PEP 440 order.
  return compareStrings(a[0], b[0]) || compareNumbers(a[1], b[1]);
}

function compareLocal(a: Pep440Version["local"], b: Pep440Version["local"]): Ordering {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as LocalPart;
    const y = b[i] as LocalPart;
    // Numeric local segments sort after alphanumeric ones.
    if (x.num !== null && y.num !== null) {
      const r = compareNumbers(x.num, y.num);
      if (r !== 0) return r;
    } else if (x.num !== null || y.num !== null) {
      return x.num !== null ? 1 : -1;
    } else {
      const r = compareStrings(x.str as string, y.str as string);
      if (r !== 0) return r;
    }
  }
  return compareNumbers(a.length, b.length);
}

export function comparePep440(a: Pep440Version, b: Pep440Version): Ordering {
  const e = compareNumbers(a.epoch, b.epoch);
  if (e !== 0) return e;
  const n = Math.min(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const r = compareNumbers(a.release[i] as number, b.release[i] as number);
    if (r !== 0) return r;
  }
  return (
    compareNumbers(a.release.length, b.release.length) ||
    comparePre(a.pre, b.pre) ||
    compareNumbers(a.post, b.post) ||
    compareNumbers(a.dev, b.dev) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440Scheme: VersionSchemeImpl<Pep440Version> = {
  name: "pep440",
  parse: parsePep440,
  compare: comparePep440,
};
