import { type BaselineView } from "@bulwark/core";
import Link from "next/link";
import { formatDateTime, formatNumber } from "../format.ts";
import { anomaliesHref, BaselineStatus } from "./baselines-table.tsx";

// One baseline: where it applies, its state and the processes it allows.

export function BaselineFacts({ b, now }: { b: BaselineView; now: Date }) {
  return (
    <dl className="grid grid-cols-[10rem_1fr] gap-x-2 gap-y-1.5 text-sm" data-testid="baseline-facts">
      <dt className="text-muted">Workload</dt>
      <dd>
        <Link href={`/workloads/${b.workload.id}`} className="text-accent hover:underline">
          {b.workload.kind}/{b.workload.name}
        </Link>
      </dd>
      <dt className="text-muted">Cluster / namespace</dt>
      <dd>
        {b.workload.cluster} / <span className="font-mono">{b.workload.namespace}</span>
      </dd>
      <dt className="text-muted">Container</dt>
      <dd className="font-mono">{b.container || "(unnamed)"}</dd>
      <dt className="text-muted">Status</dt>
      <dd>
        <BaselineStatus b={b} now={now} />
      </dd>
      <dt className="text-muted">{b.status === "LOCKED" ? "Locked" : "Learning ends"}</dt>
      <dd>
        {b.status === "LOCKED" ? `${formatDateTime(b.lockedAt)}${b.lockedBy ? ` by ${b.lockedBy}` : " (learning window ended)"}` : formatDateTime(b.learningEndsAt)}
      </dd>
      <dt className="text-muted">Open anomalies</dt>
      <dd>
        {b.openAnomalies > 0 ? (
          <Link href={anomaliesHref(b.workload.id)} className="text-danger hover:underline" data-testid="baseline-anomalies-link">
            {formatNumber(b.openAnomalies)} open anomal{b.openAnomalies === 1 ? "y" : "ies"}
          </Link>
        ) : (
          <>
            None{" "}
            <Link href={anomaliesHref(b.workload.id)} className="text-accent hover:underline" data-testid="baseline-anomalies-link">
              (see all anomalies of this workload)
            </Link>
          </>
        )}
      </dd>
    </dl>
  );
}

export function ProcessList({ processes }: { processes: string[] }) {
  if (processes.length === 0) {
    return (
      <p className="text-sm text-muted" data-testid="baseline-processes-none">
        No process learned yet: they are added as runtime events report them while the baseline learns.
      </p>
    );
  }
  return (
    <ul className="grid gap-1 font-mono text-xs sm:grid-cols-2 lg:grid-cols-3" aria-label={`${processes.length} allowed processes`} data-testid="baseline-processes">
      {processes.map((p) => (
        <li key={p} className="truncate rounded bg-surface-2 px-2 py-1" title={p}>
          {p}
        </li>
      ))}
    </ul>
  );
}
