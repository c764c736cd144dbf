import Link from "next/link";
import { type DecisionFilters, hasDecisionFilters } from "./decisions.ts";

// A plain GET form: filters live in the URL, work without JavaScript and can be bookmarked or shared.

export function DecisionFiltersForm({ filters, clusters, policies }: { filters: DecisionFilters; clusters: string[]; policies: string[] }) {
  return (
    <form method="get" action="/enforcement/decisions" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]" role="search" aria-label="Filter admission decisions" data-testid="decision-filters">
      <div>
        <label htmlFor="f-cluster" className="label">
          Cluster
        </label>
        <input id="f-cluster" name="cluster" list="f-cluster-options" defaultValue={filters.cluster ?? ""} maxLength={253} className="input" placeholder="any" />
        <datalist id="f-cluster-options">
          {clusters.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </div>
      <div>
        <label htmlFor="f-namespace" className="label">
          Namespace
        </label>
        <input id="f-namespace" name="namespace" defaultValue={filters.namespace ?? ""} maxLength={253} className="input" placeholder="any" />
      </div>
      <div>
        <label htmlFor="f-result" className="label">
          Result
        </label>
        <select id="f-result" name="result" defaultValue={filters.result ?? ""} className="input">
          <option value="">Any</option>
          <option value="allowed">Allowed (no warnings)</option>
          <option value="warned">Warned</option>
          <option value="denied">Denied</option>
        </select>
      </div>
      <div>
        <label htmlFor="f-policy" className="label">
          Failed policy
        </label>
        <input id="f-policy" name="policy" list="f-policy-options" defaultValue={filters.policy ?? ""} maxLength={100} className="input" placeholder="any" />
        <datalist id="f-policy-options">
          {policies.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </div>
      <div className="flex flex-col justify-end gap-2 sm:col-span-2 lg:col-span-1">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="breakGlass" value="1" defaultChecked={filters.breakGlass === true} />
          Break-glass only
        </label>
        <div className="flex gap-2">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          {hasDecisionFilters(filters) ? (
            <Link href="/enforcement/decisions" className="btn">
              Clear
            </Link>
          ) : null}
        </div>
      </div>
    </form>
  );
}
