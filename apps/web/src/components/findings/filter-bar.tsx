import { FINDING_SEVERITY_FILTERS, FINDING_STATUS_FILTERS, FINDING_TYPE_FILTERS, type FindingFilters } from "@bulwark/core";
import Link from "next/link";
import { titleCase } from "../format.ts";
import { filterChips, FINDINGS_PATH } from "./links.ts";

// The explorer's filters: a GET form, so every filter lives in the URL (shareable, bookmarkable,
// saved as views) and works without JavaScript. Several values of one param ride in one option as a
// comma list ("HIGH,CRITICAL"), which the parser splits, so a multi-value link survives a re-submit.

/** Sources Bulwark's own connectors and engines write; the select also keeps whatever the URL names. */
export const KNOWN_SOURCES = ["trivy", "bulwark", "bulwark-policy", "admission", "admission-coverage", "falco", "registry", "import"] as const;

interface Option {
  value: string;
  label: string;
}

function Select({ id, label, name, values, options, anyLabel = "Any" }: { id: string; label: string; name: string; values: readonly string[]; options: Option[]; anyLabel?: string }) {
  const current = values.join(",");
  const all = current && !options.some((o) => o.value === current) ? [...options, { value: current, label: values.map((v) => options.find((o) => o.value === v)?.label ?? v).join(", ") }] : options;
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <select id={id} name={name} defaultValue={current} className="input py-1.5">
        <option value="">{anyLabel}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Input({ id, label, name, value, placeholder, type = "text", hint }: { id: string; label: string; name: string; value: string; placeholder?: string; type?: string; hint?: string }) {
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <input id={id} name={name} type={type} defaultValue={value} placeholder={placeholder} className="input py-1.5" aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint ? (
        <span id={`${id}-hint`} className="sr-only">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

const opts = (values: readonly string[]): Option[] => values.map((v) => ({ value: v, label: titleCase(v) }));

export function FilterBar({ filters }: { filters: FindingFilters }) {
  const chips = filterChips(filters);
  const status = filters.status === null ? ["ALL"] : filters.status.length === 1 && filters.status[0] === "OPEN" ? [] : filters.status;
  return (
    <div className="space-y-2">
      <form method="get" action={FINDINGS_PATH} role="search" aria-label="Filter findings" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-6" data-testid="findings-filters">
        <Input id="f-q" label="Search" name="q" value={filters.q ?? ""} placeholder="CVE id, package or title" hint="Text in the rule id, package name or title" />
        <Select id="f-type" label="Type" name="type" values={filters.type} options={opts(FINDING_TYPE_FILTERS)} />
        <Select id="f-severity" label="Severity" name="severity" values={filters.severity} options={opts(FINDING_SEVERITY_FILTERS)} />
        <Select id="f-status" label="Status" name="status" values={status} options={[...opts(FINDING_STATUS_FILTERS.filter((s) => s !== "OPEN")), { value: "ALL", label: "Any status" }]} anyLabel="Open" />
        <Select id="f-source" label="Source" name="source" values={filters.source} options={KNOWN_SOURCES.map((s) => ({ value: s, label: s }))} />
        <Select
          id="f-fixable"
          label="Fix"
          name="fixable"
          values={filters.fixable === undefined ? [] : [String(filters.fixable)]}
          options={[
            { value: "true", label: "Fix available" },
            { value: "false", label: "No fix available" },
          ]}
        />
        <Input id="f-cluster" label="Cluster" name="cluster" value={filters.cluster.join(",")} placeholder="prod-eu" />
        <Input id="f-namespace" label="Namespace" name="namespace" value={filters.namespace.join(",")} placeholder="payments" />
        <Input id="f-rule" label="Rule" name="rule" value={filters.rule.join(",")} placeholder="CVE-2024-3094" />
        <Input id="f-technique" label="MITRE technique" name="technique" value={filters.technique.join(",")} placeholder="T1610" />
        <Input id="f-since" label="First seen since" name="since" type="date" value={filters.since ?? ""} />
        {/* Filters without a control of their own (set by links from other pages) and the sort survive a submit. */}
        {filters.workload.map((v) => (
          <input key={`w-${v}`} type="hidden" name="workload" value={v} />
        ))}
        {filters.image.map((v) => (
          <input key={`i-${v}`} type="hidden" name="image" value={v} />
        ))}
        {filters.sort !== "severity" ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        {filters.dir !== "desc" ? <input type="hidden" name="dir" value={filters.dir} /> : null}
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
        </div>
      </form>
      {chips.length ? (
        <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters" data-testid="filter-chips">
          {chips.map((c) => (
            <li key={c.key}>
              {/* The chip is its own remove link, named by its content: an aria-label would read like a second "Severity" field. */}
              <Link href={c.removeHref} className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5 text-xs hover:underline">
                {c.label}
                <span aria-hidden="true">×</span>
                <span className="sr-only"> (remove filter)</span>
              </Link>
            </li>
          ))}
          <li>
            <Link href={FINDINGS_PATH} className="text-xs text-accent underline">
              Clear all
            </Link>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
