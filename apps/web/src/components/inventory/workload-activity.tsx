import { type WorkloadDetail } from "@bulwark/core";
import Link from "next/link";
import { CopyButton } from "../copy-button.tsx";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatDateTime, truncate } from "../format.ts";

// The workload page's record sections: the spec as last reported, exposure, runtime events and the
// history (lifecycle and admission decisions).

export function SpecYaml({ yaml, name }: { yaml: string; name: string }) {
  return (
    <div className="space-y-2" data-testid="workload-spec">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm text-muted">As the last inventory report described it.</p>
        <CopyButton text={yaml} label="Copy YAML" />
      </div>
      <pre className="max-h-[32rem] overflow-auto rounded-md bg-surface-2 p-3 font-mono text-xs" tabIndex={0} aria-label={`YAML of ${name}`}>
        {yaml}
      </pre>
    </div>
  );
}

export function Exposure({ exposure }: { exposure: WorkloadDetail["exposure"] }) {
  if (exposure.length === 0) return <p className="text-sm text-muted">Not exposed outside the cluster by a Service.</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="workload-exposure">
      {exposure.map((e) => (
        <li key={e.service}>
          <StatusBadge tone="warn" label={e.type || "Service"} /> <span className="font-mono text-xs">{e.service}</span>
          {e.ports.length > 0 ? <span className="text-muted"> on port{e.ports.length === 1 ? "" : "s"} {e.ports.join(", ")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function RuntimeEvents({ events }: { events: WorkloadDetail["runtimeEvents"] }) {
  if (events.length === 0) return <p className="text-sm text-muted">No runtime events recorded for this workload.</p>;
  return (
    <table className="table" data-testid="workload-runtime-events">
      <caption className="sr-only">Latest runtime events, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Rule</th>
          <th scope="col">Priority</th>
          <th scope="col">Output</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td className="text-xs whitespace-nowrap tabular-nums">{formatDateTime(e.time)}</td>
            <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
              {e.findingId ? (
                <Link href={`/findings/${e.findingId}`} className="text-accent underline">
                  {e.rule}
                </Link>
              ) : (
                e.rule
              )}
            </th>
            <td className="text-xs">{e.priority}</td>
            <td className="max-w-md text-xs break-words" title={e.output}>
              {truncate(e.output, 160)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function History({ workload }: { workload: Pick<WorkloadDetail, "firstSeen" | "lastSeen" | "createdInCluster" | "deleted" | "deletedAt" | "admissionDecisions"> }) {
  const w = workload;
  return (
    <div className="space-y-4" data-testid="workload-history">
      <dl className="grid max-w-xl gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-muted">Created in the cluster</dt>
        <dd className="tabular-nums">{formatDateTime(w.createdInCluster)}</dd>
        <dt className="text-muted">First seen by Bulwark</dt>
        <dd className="tabular-nums">{formatDateTime(w.firstSeen)}</dd>
        <dt className="text-muted">Last seen</dt>
        <dd className="tabular-nums">{formatDateTime(w.lastSeen)}</dd>
        <dt className="text-muted">Deleted</dt>
        <dd className="tabular-nums">{w.deleted ? formatDateTime(w.deletedAt) : "No (live)"}</dd>
      </dl>
      <div>
        <h3 className="mb-1 text-sm font-semibold">Admission decisions</h3>
        {w.admissionDecisions.length === 0 ? (
          <p className="text-sm text-muted">No admission decision recorded for this workload.</p>
        ) : (
          <table className="table" data-testid="workload-admission-decisions">
            <caption className="sr-only">Latest admission decisions for this workload, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Decided</th>
                <th scope="col">Operation</th>
                <th scope="col">Result</th>
                <th scope="col">Failed policies</th>
              </tr>
            </thead>
            <tbody>
              {w.admissionDecisions.map((d) => (
                <tr key={d.id}>
                  <th scope="row" className="text-left text-xs font-normal tracking-normal whitespace-nowrap text-fg normal-case tabular-nums">
                    {formatDateTime(d.decidedAt)}
                  </th>
                  <td className="text-xs">{d.operation}</td>
                  <td>
                    {d.breakGlass ? (
                      <StatusBadge tone="warn" label="Break-glass" />
                    ) : d.allowed ? (
                      <StatusBadge tone={d.warned ? "warn" : "ok"} label={d.warned ? "Warned" : "Allowed"} />
                    ) : (
                      <StatusBadge tone="danger" label="Denied" />
                    )}
                  </td>
                  <td className="font-mono text-xs">{d.policies.length > 0 ? d.policies.join(", ") : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
