import type { PolicyDefinition } from "@bulwark/policy";
import { describeCondition, fieldHint, overrideEntries } from "./describe.ts";

// Read-only renderings of a rule, a scope and exclusions, for the detail page (no client code).

type Rule = NonNullable<PolicyDefinition["rule"]>;
type ScopeLike = NonNullable<PolicyDefinition["scope"]> & { names?: string[] };

export function RuleView({ rule }: { rule: Rule }) {
  if (rule.type === "builtin") {
    return (
      <p className="text-sm" data-testid="rule-builtin">
        Built-in check <code className="font-mono">{rule.id}</code>: native code shipped with Bulwark, described in the policy documentation. Clone the policy and switch the rule to
        criteria or CEL to write your own.
      </p>
    );
  }
  if (rule.type === "cel") {
    return (
      <div className="space-y-2" data-testid="rule-cel">
        <p className="text-sm text-muted">CEL expression (true means a violation):</p>
        <pre className="overflow-x-auto rounded-md border border-border bg-surface-2 p-3 font-mono text-xs">{rule.expression}</pre>
        {rule.message ? (
          <p className="text-sm">
            Violation message: <q>{rule.message}</q>
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="rule-criteria">
      <p className="text-sm text-muted">A resource violates this policy when {rule.sections.length > 1 ? "any of these sections holds" : "all of these conditions hold"}:</p>
      <ol className="space-y-2">
        {rule.sections.map((s, i) => (
          <li key={i} className="rounded-md border border-border p-3">
            {rule.sections.length > 1 ? <p className="mb-1 text-xs font-medium text-muted">{i === 0 ? "Section 1 — all of" : `or section ${i + 1} — all of`}</p> : null}
            <ul className="space-y-1">
              {s.conditions.map((c, j) => (
                <li key={j} className="font-mono text-xs" title={fieldHint(c.field)}>
                  {j > 0 ? <span className="text-muted">and </span> : null}
                  {describeCondition(c)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ScopeList({ s }: { s: ScopeLike }) {
  const rows: [string, string][] = [];
  if (s.clusters) rows.push(["Clusters", s.clusters.join(", ")]);
  if (s.namespaces) rows.push(["Namespaces", s.namespaces.join(", ")]);
  if (s.kinds) rows.push(["Kinds", s.kinds.join(", ")]);
  if (s.names) rows.push(["Names", s.names.join(", ")]);
  const sel = s.labelSelector;
  const selector = [
    ...Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(sel?.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(", ")})` : ""}`),
  ];
  if (selector.length > 0) rows.push(["Labels", selector.join("; ")]);
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd className="font-mono text-xs leading-5 break-all">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ScopeView({ scope, exclusions }: { scope: PolicyDefinition["scope"]; exclusions: PolicyDefinition["exclusions"] }) {
  return (
    <div className="space-y-3" data-testid="scope-view">
      <div>
        <h3 className="text-sm font-medium">Applies to</h3>
        {scope && Object.keys(scope).length > 0 ? <ScopeList s={scope} /> : <p className="text-sm text-muted">Every resource in every cluster.</p>}
      </div>
      <div>
        <h3 className="text-sm font-medium">Exclusions</h3>
        {exclusions && exclusions.length > 0 ? (
          <ol className="space-y-2">
            {exclusions.map((e, i) => (
              <li key={i} className="rounded-md border border-border p-2">
                <ScopeList s={e} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-muted">None.</p>
        )}
      </div>
    </div>
  );
}

export function ClusterEnforcementView({ enforcement, clusterEnforcement }: { enforcement: string; clusterEnforcement: Record<string, string> | undefined }) {
  const entries = overrideEntries(clusterEnforcement);
  if (entries.length === 0) return <p className="text-sm text-muted">Every cluster uses {enforcement.toLowerCase()}.</p>;
  return (
    <table className="table" data-testid="cluster-enforcement-view">
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          <th scope="col">Mode</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([c, m]) => (
          <tr key={c}>
            <td className="font-mono text-xs">{c}</td>
            <td>{m}</td>
          </tr>
        ))}
        <tr>
          <td className="text-muted">Any other cluster</td>
          <td>{enforcement}</td>
        </tr>
      </tbody>
    </table>
  );
}
