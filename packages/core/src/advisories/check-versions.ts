import { isValidVersion, versionSchemeOf, type AffectedPackage, type NormalizedAdvisory, type RecordIssue } from "@bulwark/vuln";

// Import-time warnings for what matching will not be able to use: packages in ecosystems without a
// version scheme, and range bounds their ecosystem's scheme cannot parse. The record is stored anyway
// (its aliases, severity and references are still useful); the warning says which part matching skips,
// so an operator sees it at import instead of wondering later why nothing matched.

/** Warnings per record: a record with thousands of odd bounds must not flood the import report. */
const MAX_PER_RECORD = 10;

type Bound = { key: string; value: string };

function boundOf(event: AffectedPackage["ranges"][number]["events"][number]): Bound {
  const [key, value] = Object.entries(event)[0] ?? ["", ""];
  return { key, value: String(value) };
}

/** OSV's own sentinels, valid in every ecosystem: introduced "0" (since the beginning) and limit "*". */
function isSentinel({ key, value }: Bound): boolean {
  return (key === "introduced" && value === "0") || (key === "limit" && value === "*");
}

/** Warnings for one normalized record; empty when matching can use all of it. */
export function checkAdvisoryVersions(advisory: NormalizedAdvisory): RecordIssue[] {
  const out: RecordIssue[] = [];
  let dropped = 0;
  const add = (path: RecordIssue["path"], message: string) => {
    if (out.length < MAX_PER_RECORD) out.push({ path, message });
    else dropped++;
  };
  const unknown = new Set<string>();
  for (const pkg of advisory.packages) {
    const at = ["package", `${pkg.ecosystem}/${pkg.name}`];
    const scheme = versionSchemeOf(pkg.ecosystem);
    if (scheme === null) {
      if (!unknown.has(pkg.ecosystem)) add([...at, "ecosystem"], `unknown ecosystem "${pkg.ecosystem}": stored, but never matched`);
      unknown.add(pkg.ecosystem);
      continue;
    }
    pkg.ranges.forEach((range, j) => {
      // OSV: SEMVER ranges hold SemVer 2.0 bounds whatever the ecosystem; ECOSYSTEM ranges the ecosystem's own.
      const rangeScheme = range.type === "SEMVER" ? "semver" : scheme;
      range.events.forEach((event, k) => {
        const bound = boundOf(event);
        if (isSentinel(bound) || isValidVersion(rangeScheme, bound.value)) return;
        add([...at, "ranges", j, "events", k, bound.key], `unparsable ${bound.key} version "${bound.value.slice(0, 100)}": this range is skipped when matching`);
      });
    });
  }
  if (dropped > 0) out.push({ path: [], message: `${dropped} more version warnings not shown` });
  return out;
}
