import Link from "next/link";

// An organization without clusters: what to do next, not just "nothing here".

export function EmptyClusters() {
  return (
    <div className="card space-y-3" data-testid="clusters-empty">
      <h2 className="text-lg font-semibold">Connect your first cluster</h2>
      <p className="text-sm text-muted">No cluster has reported to Bulwark yet. A cluster appears here with its first inventory report.</p>
      <ol className="list-decimal space-y-1 pl-5 text-sm">
        <li>
          On{" "}
          <Link href="/connectors" className="text-accent underline">
            Connectors
          </Link>
          , create an API token with the <code className="rounded bg-surface-2 px-1">ingest</code> scope (optionally bound to the cluster).
        </li>
        <li>Install the connector in the cluster with that token; the Connectors page shows the command for your cluster name.</li>
        <li>The first inventory report creates the cluster; its namespaces, workloads and images follow, then findings as scans arrive.</li>
      </ol>
      <Link href="/connectors" className="btn btn-primary">
        Go to Connectors
      </Link>
    </div>
  );
}
