// Maven versions, ordered like org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.9/4:
// items and sub-lists, "X1" combination items, qualifier order alpha < beta < milestone < rc = cr <
// snapshot < "" = ga = final = release < sp < unknown qualifiers, trailing "null" items dropped).
// A faithful port: the item kinds and their pairwise rules mirror the Java classes one to one.
import {
  type Ordering,
  type VersionSchemeImpl,
  compareDigits,
  compareStrings,
  hasSpaceOrControl,
  sign,
  stripLeadingZeros,
} from "./scheme.ts";

const NUM = 0;
const STR = 1;
const COMBO = 2;
const LIST = 3;

/**
 * Java keeps numbers as IntItem (<= 9 chars), LongItem (<= 18) or BigIntegerItem by the length of
 * the digits after stripping leading zeros, and orders the three classes before values; `size`
 * reproduces that (it only differs from numeric order for all-zero strings of 19+ digits).
 */
interface NumItem {
  kind: typeof NUM;
  /** The value without leading zeros ("0" for zero). */
  digits: string;
  size: 0 | 1 | 2;
}
interface StrItem {
  kind: typeof STR;
  value: string;
}
interface ComboItem {
  kind: typeof COMBO;
  str: StrItem;
  digit: NumItem;
}
interface ListItem {
  kind: typeof LIST;
  items: Item[];
}
type Item = NumItem | StrItem | ComboItem | ListItem;

export type MavenVersion = ListItem;

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_QUALIFIERS = new Set(["ga", "final", "release"]);
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(""));

function javaStripLeadingZeroes(buf: string): string {
  if (buf === "") return "0";
  for (let i = 0; i < buf.length; i++) if (buf[i] !== "0") return buf.slice(i);
  return buf; // all zeros: Java returns the string unchanged
}

function numItem(buf: string): NumItem {
  const javaDigits = javaStripLeadingZeroes(buf);
  const size = javaDigits.length <= 9 ? 0 : javaDigits.length <= 18 ? 1 : 2;
  return { kind: NUM, digits: stripLeadingZeros(javaDigits), size };
}

function strItem(value: string, followedByDigit: boolean): StrItem {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === "a") v = "alpha";
    else if (v === "b") v = "beta";
    else if (v === "m") v = "milestone";
  }
  return { kind: STR, value: v === "cr" ? "rc" : v };
}

function comboItem(value: string): ComboItem {
  let index = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      index = i;
      break;
    }
  }
  return { kind: COMBO, str: strItem(value.slice(0, index), true), digit: numItem(value.slice(index)) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) return comboItem(buf.replaceAll("-", ""));
  if (isDigit) return numItem(buf);
  return strItem(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case NUM:
      return item.digits === "0";
    case STR:
      return item.value === "";
    case COMBO:
      return false;
    case LIST:
      return item.items.length === 0;
  }
}

function comparableQualifier(q: string): string {
  if (RELEASE_QUALIFIERS.has(q)) return RELEASE_VERSION_INDEX;
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function compareNum(a: NumItem, b: Item | null): Ordering {
  if (b === null) return isNull(a) ? 0 : 1; // 1.0 == 1, 1.1 > 1
  switch (b.kind) {
    case NUM:
      return a.size !== b.size ? sign(a.size - b.size) : compareDigits(a.digits, b.digits);
    default:
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
  }
}

function compareStr(a: StrItem, b: Item | null): Ordering {
  if (b === null) return compareStrings(comparableQualifier(a.value), RELEASE_VERSION_INDEX); // 1-rc < 1, 1-ga > 1
  switch (b.kind) {
    case NUM:
      return -1; // 1.any < 1.1
    case STR:
      return compareStrings(comparableQualifier(a.value), comparableQualifier(b.value));
    case COMBO: {
      const r = compareStr(a, b.str);
      return r === 0 ? -1 : r;
    }
    case LIST:
      return -1; // 1.any < 1-1
  }
}

function compareCombo(a: ComboItem, b: Item | null): Ordering {
  if (b === null) return compareStr(a.str, null); // 1-rc1 < 1, 1-ga1 > 1
  switch (b.kind) {
    case NUM:
    case LIST:
      return -1;
    case STR: {
      const r = compareStr(a.str, b);
      return r === 0 ? 1 : r; // X1 > X
    }
    case COMBO:
      return compareStr(a.str, b.str) || compareNum(a.digit, b.digit);
  }
}

function compareList(a: ListItem, b: Item | null): Ordering {
  if (b === null) {
    // Every item is compared with "null", not just the first (MNG-6964).
    for (const item of a.items) {
      const r = compareItem(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  switch (b.kind) {
    case NUM:
      return -1; // 1-1 < 1.0.x
    case STR:
    case COMBO:
      return 1; // 1-1 > 1-sp
    case LIST: {
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i] ?? null;
        const r = b.items[i] ?? null;
        const result = l === null ? (r === null ? 0 : -compareItem(r, l)) : compareItem(l, r);
        if (result !== 0) return sign(result);
      }
      return 0;
    }
  }
}

function compareItem(a: Item, b: Item | null): Ordering {
  switch (a.kind) {
    case NUM:
      return compareNum(a, b);
    case STR:
      return compareStr(a, b);
    case COMBO:
      return compareCombo(a, b);
    case LIST:
      return compareList(a, b);
  }
}

function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const last = items[i] as Item;
    if (!isNull(last)) continue;
    const next = items[i + 1];
    if (next === undefined || next.kind === STR) {
      items.splice(i, 1);
    } else if (next.kind === LIST) {
      const first = next.items[0];
      if (first !== undefined && (first.kind === COMBO || first.kind === STR)) items.splice(i, 1);
    }
  }
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ComparableVersion.parseVersion. */
function parseItems(input: string): ListItem {
  const version = input.toLowerCase();
  const items: ListItem = { kind: LIST, items: [] };
  let list = items;
  const stack: ListItem[] = [list];
  const push = (): void => {
    const sub: ListItem = { kind: LIST, items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let isDigit = false;
  let isCombination = false;
  let startIndex = 0;

  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c === 46 /* . */) {
      if (i === startIndex) list.items.push(numItem("0"));
      else list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      isCombination = false;
      startIndex = i + 1;
    } else if (c === 45 /* - */) {
      if (i === startIndex) {
        list.items.push(numItem("0"));
      } else {
        // "X-1" is treated as "X1".
        if (!isDigit && i !== version.length - 1 && isDigitCode(version.charCodeAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      }
      startIndex = i + 1;
      if (list.items.length > 0) push();
      isCombination = false;
    } else if (isDigitCode(c)) {
      if (!isDigit && i > startIndex) {
        // "X1"
        isCombination = true;
        if (list.items.length > 0) push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > startIndex) {
        list.items.push(parseItem(isCombination, true, version.slice(startIndex, i)));
        startIndex = i;
        push();
        isCombination = false;
      }
      isDigit = false;
    }
  }

  if (version.length > startIndex) {
    // 1.0.0.X1 < 1.0.0-X2: treat ".X" as "-X" for any string qualifier X.
    if (!isDigit && list.items.length > 0) push();
    list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex)));
  }
  while (stack.length > 0) normalize(stack.pop() as ListItem);
  return items;
}

function itemToString(item: Item): string {
  switch (item.kind) {
    case NUM:
      return item.digits;
    case STR:
      return item.value;
    case COMBO:
      return item.str.value + item.digit.digits;
    case LIST: {
      let out = "";
      for (const child of item.items) {
        if (out.length > 0) out += child.kind === LIST ? "-" : ".";
        out += itemToString(child);
      }
      return out;
    }
  }
}

/** ComparableVersion.getCanonical(); exposed for tests and diagnostics. */
export function mavenCanonical(v: MavenVersion): string {
  return itemToString(v);
}

/** Maven accepts any string; empty strings and whitespace or control characters are rejected here. */
export function parseMavenVersion(s: string): MavenVersion | null {
  if (s === "" || hasSpaceOrControl(s)) return null;
  return parseItems(s);
}

export function compareMavenVersions(a: MavenVersion, b: MavenVersion): Ordering {
  return compareList(a, b);
}

export const mavenScheme: VersionSchemeImpl<MavenVersion> = {
  name: "maven",
  parse: parseMavenVersion,
  compare: compareMavenVersions,
};
