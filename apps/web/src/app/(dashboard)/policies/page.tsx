import { hasRole, listPolicies } from "@bulwark/core";
import { ENFORCEMENT_MODES, SEVERITIES, STAGES } from "@bulwark/policy";
import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { formatDateTime, titleCase } from "../../../components/format.ts";
import { EnabledBadge, EnforcementBadge, KindBadge, SeverityBadge } from "../../../components/policies/badges.tsx";
import { overrideSummary } from "../../../components/policies/describe.ts";
import { ExportPoliciesButton } from "../../../components/policies/export-button.tsx";
import { hasFilters, parsePolicyFilters, type SearchParams } from "../../../components/policies/filters.ts";
import { EnabledToggle, EnforcementSelect } from "../../../components/policies/row-controls.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Policies" };

function FilterSelect({ id, label, name, value, options }: { id: string; label: string; name: string; value: string | undefined; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className="input py-1.5">
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const titled = (xs: readonly string[]) => xs.map((x) => ({ value: x, label: titleCase(x) }));

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, current } = await requirePage();
  const isAdmin = hasRole(current.role, "ADMIN");
  const filters = parsePolicyFilters(await searchParams);
  const filtered = hasFilters(filters);
  const [{ policies }, all] = await Promise.all([
    listPolicies(db(), ctx, filters),
    filtered ? listPolicies(db(), ctx) : null,
  ]);
  const categories = [...new Set((all ?? { policies }).policies.map((p) => p.category))].sort();

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Policies
          </h1>
          <p className="text-sm text-muted">
            The rules workloads are checked against, and whether each one audits, warns or blocks at admission.{" "}
            {isAdmin ? "Built-ins can be tuned, disabled or cloned; custom policies can be edited freely." : "Only administrators can change policies."}
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-2">
          <ExportPoliciesButton keys={policies.map((p) => p.key)} />
          {isAdmin ? (
            <>
              <Link href="/policies/new?tab=import" className="btn" data-testid="import-policies">
                Import YAML
              </Link>
              <Link href="/policies/new" className="btn btn-primary" data-testid="new-policy">
                New policy
              </Link>
            </>
          ) : null}
        </div>
      </div>

      <Form action="/policies" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-8" aria-label="Filter policies" data-testid="policy-filters">
        <div className="sm:col-span-2">
          <label htmlFor="f-q" className="label text-xs">
            Search
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Name or key" maxLength={200} className="input py-1.5" />
        </div>
        <FilterSelect id="f-category" label="Category" name="category" value={filters.category} options={categories.map((c) => ({ value: c, label: c }))} />
        <FilterSelect id="f-severity" label="Severity" name="severity" value={filters.severity} options={titled(SEVERITIES)} />
        <FilterSelect id="f-stage" label="Stage" name="stage" value={filters.stage} options={titled(STAGES)} />
        <FilterSelect id="f-enforcement" label="Enforcement" name="enforcement" value={filters.enforcement} options={titled(ENFORCEMENT_MODES)} />
        <FilterSelect id="f-enabled" label="State" name="enabled" value={filters.enabled} options={[{ value: "true", label: "Enabled" }, { value: "false", label: "Disabled" }]} />
        <FilterSelect id="f-builtin" label="Origin" name="builtin" value={filters.builtin} options={[{ value: "true", label: "Built-in" }, { value: "false", label: "Custom" }]} />
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4 xl:col-span-8">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          {filtered ? (
            <Link href="/policies" className="btn">
              Clear
            </Link>
          ) : null}
          <p className="ml-auto text-sm text-muted" role="status" data-testid="policy-count">
            {policies.length} {policies.length === 1 ? "policy" : "policies"}
            {filtered && all ? ` of ${all.policies.length}` : ""}
          </p>
        </div>
      </Form>

      <div className="card overflow-x-auto p-0">
        {policies.length === 0 ? (
          <div className="p-6 text-sm" data-testid="policies-empty">
            <p className="font-medium">No policies match these filters.</p>
            <p className="mt-1 text-muted">
              <Link href="/policies" className="text-accent underline">
                Clear the filters
              </Link>{" "}
              to see all policies{isAdmin ? ", or create a new one" : ""}.
            </p>
          </div>
        ) : (
          <table className="table" data-testid="policies-table">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Category</th>
                <th scope="col">Severity</th>
                <th scope="col">Stages</th>
                <th scope="col">Enforcement</th>
                <th scope="col">Enabled</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {policies.map((p) => {
                const perCluster = overrideSummary(p.clusterEnforcement);
                return (
                  <tr key={p.key} data-testid={`policy-row-${p.key}`}>
                    <td className="min-w-64">
                      <Link href={`/policies/${p.key}`} className="font-medium text-accent hover:underline">
                        {p.name}
                      </Link>
                      <span className="mt-0.5 flex flex-wrap items-center gap-2">
                        <code className="font-mono text-xs text-muted">{p.key}</code>
                        <KindBadge builtin={p.builtin} />
                        {p.ruleType !== "builtin" ? <span className="text-xs text-muted">{p.ruleType === "cel" ? "CEL" : "Criteria"}</span> : null}
                      </span>
                    </td>
                    <td>{p.category}</td>
                    <td>
                      <SeverityBadge severity={p.severity} />
                    </td>
                    <td className="text-xs whitespace-nowrap">{p.stages.map((s) => titleCase(s)).join(", ")}</td>
                    <td>
                      {isAdmin ? <EnforcementSelect key={`${p.key}@${p.currentVersion}`} policyKey={p.key} name={p.name} value={p.enforcement} /> : <EnforcementBadge mode={p.enforcement} />}
                      {perCluster ? (
                        <span className="mt-1 block max-w-56 text-xs text-muted" data-testid={`cluster-overrides-${p.key}`}>
                          Per cluster: {perCluster}
                        </span>
                      ) : null}
                    </td>
                    <td>{isAdmin ? <EnabledToggle key={`${p.key}@${p.currentVersion}`} policyKey={p.key} name={p.name} enabled={p.enabled} /> : <EnabledBadge enabled={p.enabled} />}</td>
                    <td className="tabular-nums">v{p.currentVersion}</td>
                    <td className="whitespace-nowrap">{formatDateTime(p.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
