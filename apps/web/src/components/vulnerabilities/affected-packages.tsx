import { formatNumber } from "../format.ts";
import type { AffectedPackageView } from "./ranges.ts";

// An advisory's affected packages: the vulnerable intervals in words, explicitly listed versions
// (collapsed when long) and the versions that fix it.

const SHOWN_VERSIONS = 12;

export interface AffectedPackageRow extends AffectedPackageView {
  /** GIT ranges (commit hashes) the matcher cannot use; counted, not shown. */
  skippedGitRanges: number;
}

export function AffectedPackages({ packages }: { packages: AffectedPackageRow[] }) {
  if (packages.length === 0) {
    return (
      <p className="px-4 pb-4 text-sm text-muted" data-testid="affected-empty">
        This advisory names no package Bulwark can match (it may only list source commits).
      </p>
    );
  }
  return (
    <table className="table" data-testid="affected-packages">
      <thead>
        <tr>
          <th scope="col">Package</th>
          <th scope="col">Affected</th>
          <th scope="col">Fixed in</th>
        </tr>
      </thead>
      <tbody>
        {packages.map((p, i) => (
          <tr key={`${p.ecosystem}/${p.name}/${i}`} data-testid={`affected-${p.name}`}>
            <th scope="row" className="text-left align-top text-sm font-medium tracking-normal text-fg normal-case">
              <span className="break-all">{p.name}</span>
              {p.ecosystem ? <span className="block text-xs font-normal text-muted">{p.ecosystem}</span> : null}
            </th>
            <td className="text-sm">
              {p.ranges.length === 0 && p.versions.length === 0 ? <span className="text-muted">No version range given</span> : null}
              {p.ranges.length > 0 ? (
                <ul className="space-y-0.5" aria-label={`Affected ranges of ${p.name}`}>
                  {p.ranges.flatMap((r, ri) =>
                    r.intervals.map((iv, ii) => (
                      <li key={`${ri}-${ii}`} className="font-mono text-xs" data-testid="affected-interval">
                        {iv}
                        {r.type !== "ECOSYSTEM" ? <span className="ml-2 font-sans text-muted">({r.type.toLowerCase()})</span> : null}
                      </li>
                    )),
                  )}
                </ul>
              ) : null}
              {p.versions.length > 0 ? (
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-muted">
                    {formatNumber(p.versions.length)} listed {p.versions.length === 1 ? "version" : "versions"}
                  </summary>
                  <p className="mt-1 font-mono break-all">
                    {p.versions.slice(0, SHOWN_VERSIONS).join(", ")}
                    {p.versions.length > SHOWN_VERSIONS ? ` … +${p.versions.length - SHOWN_VERSIONS}` : ""}
                  </p>
                </details>
              ) : null}
              {p.skippedGitRanges > 0 ? (
                <p className="mt-1 text-xs text-muted">
                  {p.skippedGitRanges} commit {p.skippedGitRanges === 1 ? "range" : "ranges"} not used for matching.
                </p>
              ) : null}
            </td>
            <td className="font-mono text-xs">{p.fixedVersions.length ? p.fixedVersions.join(", ") : <span className="font-sans text-warn">No fix yet</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
