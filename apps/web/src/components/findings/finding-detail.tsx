import { type FindingHistoryEvent } from "@bulwark/core";
import Link from "next/link";
import { formatDateTime, titleCase } from "../format.ts";

// Parts of the finding page: key facts, evidence, the resources it concerns, and its history.

export interface FindingFacts {
  type: string;
  status: string;
  ruleId: string;
  source: string;
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  cvssScore: number | null;
  mitreTechniques: string[];
  occurrences: number;
}

export function KeyFacts({ f, ruleHref }: { f: FindingFacts; ruleHref: string | null }) {
  const rows: [string, React.ReactNode][] = [
    ["Type", titleCase(f.type)],
    ["Status", titleCase(f.status)],
    [
      "Rule",
      ruleHref ? (
        <Link href={ruleHref} className="font-mono text-accent hover:underline">
          {f.ruleId}
        </Link>
      ) : (
        <span className="font-mono">{f.ruleId}</span>
      ),
    ],
    ["Source", f.source],
  ];
  if (f.packageName) rows.push(["Package", <span key="p" className="font-mono">{`${f.packageName}${f.packageVersion ? ` ${f.packageVersion}` : ""}`}</span>]);
  if (f.packageName) rows.push(["Fixed in", f.fixedVersion ? <span className="font-mono">{f.fixedVersion}</span> : "No fix available"]);
  if (f.cvssScore !== null) rows.push(["CVSS", f.cvssScore.toFixed(1)]);
  if (f.mitreTechniques.length) {
    rows.push([
      "MITRE ATT&CK",
      f.mitreTechniques.map((t, i) => (
        <span key={t}>
          {i ? ", " : ""}
          <Link href={`/findings?technique=${encodeURIComponent(t)}`} className="font-mono text-accent hover:underline">
            {t}
          </Link>
        </span>
      )),
    ]);
  }
  rows.push(["Reported", `${f.occurrences} time${f.occurrences === 1 ? "" : "s"}`]);
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="finding-facts">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Evidence({ evidence }: { evidence: unknown }) {
  const empty = evidence === null || evidence === undefined || (typeof evidence === "object" && Object.keys(evidence as object).length === 0);
  if (empty) return <p className="text-sm text-muted">The source reported no evidence beyond the facts above.</p>;
  return (
    <pre className="max-h-96 overflow-auto rounded-md bg-surface-2 p-3 text-xs" data-testid="finding-evidence" tabIndex={0} aria-label="Evidence (JSON)">
      {JSON.stringify(evidence, null, 2)}
    </pre>
  );
}

export interface Resources {
  image: { id: string; registryHost: string; repository: string; tags: string[]; digest: string } | null;
  workload: { id: string; kind: string; name: string; deleted: boolean } | null;
  cluster: { id: string; name: string } | null;
  namespace: { id: string; name: string } | null;
  runsIn: { id: string; kind: string; name: string; cluster: { id: string; name: string }; namespace: { id: string; name: string } }[];
  runsInTotal: number;
}

export function AffectedResources({ r }: { r: Resources }) {
  return (
    <div className="space-y-3 text-sm" data-testid="finding-resources">
      <ul className="space-y-1">
        {r.image ? (
          <li>
            <span className="text-muted">Image </span>
            <Link href={`/images/${r.image.id}`} className="font-mono break-all text-accent hover:underline">
              {r.image.registryHost}/{r.image.repository}
              {r.image.tags[0] ? `:${r.image.tags[0]}` : ""}
            </Link>
            <span className="block font-mono text-xs break-all text-muted">{r.image.digest}</span>
          </li>
        ) : null}
        {r.workload ? (
          <li>
            <span className="text-muted">Workload </span>
            <Link href={`/workloads/${r.workload.id}`} className="text-accent hover:underline">
              {r.workload.kind}/{r.workload.name}
            </Link>
            {r.workload.deleted ? <span className="text-muted"> (deleted)</span> : null}
          </li>
        ) : null}
        {r.cluster ? (
          <li>
            <span className="text-muted">Cluster </span>
            <Link href={`/clusters/${r.cluster.id}`} className="text-accent hover:underline">
              {r.cluster.name}
            </Link>
            {r.namespace ? <span> / namespace {r.namespace.name}</span> : null}
          </li>
        ) : null}
      </ul>
      {r.image ? (
        <div>
          <h3 className="text-xs font-semibold text-muted uppercase">Where this image runs</h3>
          {r.runsIn.length ? (
            <ul className="mt-1 space-y-0.5" data-testid="finding-runs-in">
              {r.runsIn.map((w) => (
                <li key={w.id}>
                  <Link href={`/workloads/${w.id}`} className="text-accent hover:underline">
                    {w.kind}/{w.name}
                  </Link>{" "}
                  <span className="text-muted">
                    in{" "}
                    <Link href={`/clusters/${w.cluster.id}`} className="hover:underline">
                      {w.cluster.name}
                    </Link>{" "}
                    / {w.namespace.name}
                  </span>
                </li>
              ))}
              {r.runsInTotal > r.runsIn.length ? <li className="text-muted">and {r.runsInTotal - r.runsIn.length} more</li> : null}
            </ul>
          ) : (
            <p className="mt-1 text-muted">No running workload uses this image.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}

export function FindingTimeline({ events }: { events: FindingHistoryEvent[] }) {
  return (
    <ol className="space-y-2 border-l border-border pl-4 text-sm" data-testid="finding-history">
      {events.map((e, i) => (
        <li key={`${e.kind}-${i}`} data-kind={e.kind}>
          <time dateTime={new Date(e.at).toISOString()} className="block text-xs text-muted">
            {formatDateTime(e.at)}
          </time>
          <span className="font-medium">{e.label}</span>
          {e.actor ? <span className="text-muted"> by {e.actor}</span> : null}
          {e.detail ? <span className="block text-xs whitespace-pre-wrap text-muted">“{e.detail}”</span> : null}
        </li>
      ))}
    </ol>
  );
}
