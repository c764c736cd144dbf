import Link from "next/link";
import { formatAge, formatDateTime } from "../format.ts";
import { StatusBadge } from "./status-badge.tsx";
import { classifyDrift, classifyHealth } from "./status.ts";

export interface EnforcementPointItem {
  id: string;
  name: string;
  cluster: { id: string; name: string } | null;
  agentVersion: string | null;
  bundleVersion: number | null;
  lastHeartbeatAt: Date | null;
  excludedNamespaces: string[];
}

export function PointsTable({ points, currentVersion, now }: { points: EnforcementPointItem[]; currentVersion: number | null; now: Date }) {
  return (
    <table className="table" data-testid="enforcement-points-table">
      <caption className="sr-only">Enforcement points with their health and bundle drift</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Cluster</th>
          <th scope="col">Agent</th>
          <th scope="col">Running bundle</th>
          <th scope="col">Drift</th>
          <th scope="col">Health</th>
          <th scope="col">Excluded namespaces</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => {
          const health = classifyHealth(p.lastHeartbeatAt, now);
          const drift = classifyDrift(p.bundleVersion, currentVersion);
          return (
            <tr key={p.id} data-testid={`point-row-${p.name}`} data-health={health.state} data-drift={drift.state}>
              <th scope="row" className="text-left align-top text-sm font-medium tracking-normal text-fg normal-case">
                {p.name}
              </th>
              <td>
                {p.cluster ? (
                  <Link href={`/enforcement/decisions?cluster=${encodeURIComponent(p.cluster.name)}`} className="text-accent underline" title={`Admission decisions in ${p.cluster.name}`}>
                    {p.cluster.name}
                  </Link>
                ) : (
                  <span className="text-muted">Not linked yet</span>
                )}
              </td>
              <td className="font-mono text-xs">{p.agentVersion ?? "—"}</td>
              <td className="tabular-nums">{p.bundleVersion === null ? "—" : `v${p.bundleVersion}`}</td>
              <td>
                <StatusBadge tone={drift.tone} label={drift.label} testId="point-drift" />
              </td>
              <td>
                <StatusBadge tone={health.tone} label={health.label} testId="point-health" title={p.lastHeartbeatAt ? `Last heartbeat ${formatDateTime(p.lastHeartbeatAt)}` : undefined} />
                <span className="block text-xs text-muted">{p.lastHeartbeatAt ? `last heartbeat ${formatAge(p.lastHeartbeatAt, now)}` : "no heartbeat received"}</span>
              </td>
              <td className="text-xs">
                {p.excludedNamespaces.length === 0 ? (
                  <span className="text-muted">None</span>
                ) : (
                  <ul className="flex flex-wrap gap-1">
                    {p.excludedNamespaces.map((ns) => (
                      <li key={ns}>
                        <code className="rounded bg-surface-2 px-1">{ns}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
