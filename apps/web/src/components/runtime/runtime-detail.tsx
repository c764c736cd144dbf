import { type EventGroup, type RuntimeFindingDetail } from "@bulwark/core";
import Link from "next/link";
import { ExceptionKind, ExceptionStateBadge } from "../exceptions/badges.tsx";
import { formatDateTime, formatNumber, titleCase } from "../format.ts";
import { RUNTIME_SOURCE_LABELS, runtimeHref } from "./links.ts";
import { Techniques } from "./runtime-table.tsx";

// The facts of one runtime aggregate: what fired, where (the inventoried workload, or the names the
// events carried when the inventory does not know them), when, how often, and how it maps to ATT&CK.

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export function RuntimeFacts({ f }: { f: RuntimeFindingDetail }) {
  return (
    <dl className="space-y-1.5 text-sm" data-testid="runtime-facts">
      <Row label="Rule">
        <Link href={runtimeHref({ rule: f.rule, status: "ALL" })} className="font-mono text-accent hover:underline">
          {f.rule}
        </Link>
      </Row>
      <Row label="Source">{RUNTIME_SOURCE_LABELS[f.source] ?? f.source}</Row>
      <Row label="Status">
        {titleCase(f.status)}
        {f.resolvedAt ? <span className="text-muted"> · resolved {formatDateTime(f.resolvedAt)}</span> : null}
      </Row>
      <Row label="Events">{formatNumber(f.occurrences)}</Row>
      <Row label="First seen">{formatDateTime(f.firstSeen)}</Row>
      <Row label="Last seen">{formatDateTime(f.lastSeen)}</Row>
      <Row label="MITRE techniques">
        <Techniques items={f.mitreTechniques} />
      </Row>
      <Row label="Tactics">{f.tactics.length ? f.tactics.map((t) => `${t.name ?? t.id} (${t.id})`).join(", ") : <span className="text-muted">—</span>}</Row>
      {f.process ? (
        <Row label="Process">
          <span className="font-mono">{f.process}</span>
          {f.baselineId ? (
            <>
              {" "}
              <Link href={`/runtime/baselines/${f.baselineId}`} className="text-accent hover:underline">
                view baseline
              </Link>
            </>
          ) : null}
        </Row>
      ) : null}
    </dl>
  );
}

export function RuntimeWhere({ f }: { f: RuntimeFindingDetail }) {
  return (
    <dl className="space-y-1.5 text-sm" data-testid="runtime-where">
      <Row label="Workload">
        {f.workload ? (
          <>
            <Link href={`/workloads/${f.workload.id}`} className="text-accent hover:underline" data-testid="runtime-workload-link">
              {f.workload.kind}/{f.workload.name}
            </Link>
            {f.workloadDeleted ? <span className="text-muted"> (deleted from the cluster)</span> : null}
          </>
        ) : f.workloadName ? (
          <span data-testid="runtime-workload-unresolved">
            <span className="font-mono">{f.workloadName}</span> <span className="text-muted">(not found in the inventory)</span>
          </span>
        ) : (
          <span className="text-muted">None named by the events</span>
        )}
      </Row>
      <Row label="Cluster">
        {f.clusterId ? (
          <Link href={`/clusters/${f.clusterId}`} className="text-accent hover:underline">
            {f.cluster}
          </Link>
        ) : f.cluster ? (
          <>
            <span className="font-mono">{f.cluster}</span> <span className="text-muted">(not in the inventory)</span>
          </>
        ) : (
          <span className="text-muted">Unknown</span>
        )}
      </Row>
      <Row label="Namespace">{f.namespace ? <span className="font-mono">{f.namespace}</span> : <span className="text-muted">—</span>}</Row>
      <Row label="Pod">{f.pod ? <span className="font-mono">{f.pod}</span> : <span className="text-muted">—</span>}</Row>
      <Row label="Container">{f.container ? <span className="font-mono">{f.container}</span> : <span className="text-muted">—</span>}</Row>
      <Row label="Image">{f.image ? <span className="font-mono break-all">{f.image}</span> : <span className="text-muted">—</span>}</Row>
      {f.hostname ? (
        <Row label="Node">
          <span className="font-mono">{f.hostname}</span>
        </Row>
      ) : null}
    </dl>
  );
}

function GroupList({ title, groups, total, testId }: { title: string; groups: EventGroup[]; total: number; testId: string }) {
  return (
    <div>
      <h3 className="text-xs font-semibold text-muted uppercase">{title}</h3>
      {groups.length === 0 ? (
        <p className="text-sm text-muted">—</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-sm" data-testid={testId}>
          {groups.map((g) => (
            <li key={g.name ?? "(none)"} className="flex justify-between gap-3">
              <span className="truncate font-mono">{g.name ?? "(not named)"}</span>
              <span className="tabular-nums">
                {formatNumber(g.events)}
                <span className="sr-only"> of {formatNumber(total)} events</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function EventSpread({ f }: { f: RuntimeFindingDetail }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <GroupList title="Events by pod" groups={f.byPod} total={f.eventCount} testId="runtime-by-pod" />
      <GroupList title="Events by container" groups={f.byContainer} total={f.eventCount} testId="runtime-by-container" />
    </div>
  );
}

export function RuntimeException({ f }: { f: RuntimeFindingDetail }) {
  if (!f.exception) return null;
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="runtime-exception">
      <Link href={`/exceptions/${f.exception.id}`} className="text-accent underline">
        Suppressed by an exception
      </Link>
      <ExceptionKind kind={f.exception.kind} />
      <ExceptionStateBadge state={f.exception.state} />
      {f.exception.expiresAt ? <span className="text-xs text-muted">expires {formatDateTime(f.exception.expiresAt)}</span> : null}
    </p>
  );
}
