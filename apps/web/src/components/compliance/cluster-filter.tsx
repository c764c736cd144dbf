import Link from "next/link";

// A plain GET form: the filter lives in the URL and works without JavaScript.
export function ClusterFilter({ clusters, current }: { clusters: string[]; current: string | null }) {
  return (
    <form method="get" action="/compliance" role="search" aria-label="Filter by cluster" className="flex flex-wrap items-end gap-2" data-testid="compliance-filter">
      <div>
        <label htmlFor="compliance-cluster" className="label">
          Cluster
        </label>
        <select id="compliance-cluster" name="cluster" defaultValue={current ?? ""} className="input">
          <option value="">All clusters</option>
          {clusters.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn">
        Apply
      </button>
      {current ? (
        <Link href="/compliance" className="text-sm text-accent underline">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
