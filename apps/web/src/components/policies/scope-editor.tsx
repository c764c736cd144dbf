"use client";

import { emptyScope, uid, type ExpressionForm, type LabelForm, type ScopeForm } from "./form-model.ts";
import { errorsAt } from "./describe.ts";
import { FieldErrors, type EditorError } from "./field-errors.tsx";

// Where a policy applies (scope) and where it does not (exclusions): name lists with `*` globs and a
// Kubernetes label selector. Every field set must match; an empty scope means everywhere.

const EXPRESSION_OPERATORS: ExpressionForm["operator"][] = ["In", "NotIn", "Exists", "DoesNotExist"];

function ListInput({ id, label, value, onChange, placeholder, list, errors, path }: { id: string; label: string; value: string; onChange: (v: string) => void; placeholder: string; list?: string; errors: readonly EditorError[]; path: string }) {
  const mine = errorsAt(errors, path);
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <input id={id} className="input" value={value} placeholder={placeholder} list={list} onChange={(e) => onChange(e.currentTarget.value)} aria-invalid={mine.length > 0 || undefined} />
      <FieldErrors errors={mine} base={path} />
    </div>
  );
}

function SelectorEditor({ idBase, value, onChange, errors, path }: { idBase: string; value: ScopeForm; onChange: (s: ScopeForm) => void; errors: readonly EditorError[]; path: string }) {
  const setLabel = (i: number, l: LabelForm) => onChange({ ...value, matchLabels: value.matchLabels.map((x, j) => (j === i ? l : x)) });
  const setExpr = (i: number, e: ExpressionForm) => onChange({ ...value, matchExpressions: value.matchExpressions.map((x, j) => (j === i ? e : x)) });
  return (
    <fieldset className="space-y-2">
      <legend className="label text-xs">Label selector (resource or pod template labels)</legend>
      {value.matchLabels.map((l, i) => (
        <div key={l.uid} className="flex flex-wrap items-end gap-2">
          <div className="min-w-32 flex-1">
            <label htmlFor={`${idBase}-ml${i}-k`} className="text-xs text-muted">
              Label key
            </label>
            <input id={`${idBase}-ml${i}-k`} className="input" value={l.key} onChange={(e) => setLabel(i, { ...l, key: e.currentTarget.value })} />
          </div>
          <span className="pb-2 text-sm text-muted">=</span>
          <div className="min-w-32 flex-1">
            <label htmlFor={`${idBase}-ml${i}-v`} className="text-xs text-muted">
              Value
            </label>
            <input id={`${idBase}-ml${i}-v`} className="input" value={l.value} onChange={(e) => setLabel(i, { ...l, value: e.currentTarget.value })} />
          </div>
          <button type="button" className="btn btn-danger" aria-label={`Remove label ${l.key || i + 1}`} onClick={() => onChange({ ...value, matchLabels: value.matchLabels.filter((_, j) => j !== i) })}>
            Remove
          </button>
        </div>
      ))}
      {value.matchExpressions.map((x, i) => (
        <div key={x.uid} className="flex flex-wrap items-end gap-2">
          <div className="min-w-32 flex-1">
            <label htmlFor={`${idBase}-me${i}-k`} className="text-xs text-muted">
              Label key
            </label>
            <input id={`${idBase}-me${i}-k`} className="input" value={x.key} onChange={(e) => setExpr(i, { ...x, key: e.currentTarget.value })} />
          </div>
          <div>
            <label htmlFor={`${idBase}-me${i}-op`} className="text-xs text-muted">
              Operator
            </label>
            <select
              id={`${idBase}-me${i}-op`}
              className="input"
              value={x.operator}
              onChange={(e) => {
                const operator = e.currentTarget.value as ExpressionForm["operator"];
                setExpr(i, { ...x, operator, valuesText: operator === "Exists" || operator === "DoesNotExist" ? "" : x.valuesText });
              }}
            >
              {EXPRESSION_OPERATORS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
          </div>
          <div className="min-w-32 flex-1">
            <label htmlFor={`${idBase}-me${i}-v`} className="text-xs text-muted">
              Values (comma-separated)
            </label>
            <input
              id={`${idBase}-me${i}-v`}
              className="input"
              value={x.valuesText}
              disabled={x.operator === "Exists" || x.operator === "DoesNotExist"}
              onChange={(e) => setExpr(i, { ...x, valuesText: e.currentTarget.value })}
            />
          </div>
          <button type="button" className="btn btn-danger" aria-label={`Remove expression ${x.key || i + 1}`} onClick={() => onChange({ ...value, matchExpressions: value.matchExpressions.filter((_, j) => j !== i) })}>
            Remove
          </button>
        </div>
      ))}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn text-xs" onClick={() => onChange({ ...value, matchLabels: [...value.matchLabels, { uid: uid(), key: "", value: "" }] })}>
          Add label
        </button>
        <button type="button" className="btn text-xs" onClick={() => onChange({ ...value, matchExpressions: [...value.matchExpressions, { uid: uid(), key: "", operator: "In", valuesText: "" }] })}>
          Add expression
        </button>
      </div>
      <FieldErrors errors={errorsAt(errors, `${path}.labelSelector`)} base={path} />
    </fieldset>
  );
}

export function ScopeFields({
  idBase,
  value,
  onChange,
  withNames,
  clustersListId,
  errors,
  path,
}: {
  idBase: string;
  value: ScopeForm;
  onChange: (s: ScopeForm) => void;
  withNames: boolean;
  clustersListId: string;
  errors: readonly EditorError[];
  path: string;
}) {
  const set = (k: "clusters" | "namespaces" | "kinds" | "names") => (v: string) => onChange({ ...value, [k]: v });
  return (
    <div className="space-y-3">
      <div className={`grid gap-3 ${withNames ? "md:grid-cols-4" : "md:grid-cols-3"}`}>
        <ListInput id={`${idBase}-clusters`} label="Clusters" value={value.clusters} onChange={set("clusters")} placeholder="prod-*, staging" list={clustersListId} errors={errors} path={`${path}.clusters`} />
        <ListInput id={`${idBase}-namespaces`} label="Namespaces" value={value.namespaces} onChange={set("namespaces")} placeholder="kube-system, team-*" errors={errors} path={`${path}.namespaces`} />
        <ListInput id={`${idBase}-kinds`} label="Kinds" value={value.kinds} onChange={set("kinds")} placeholder="Deployment, Pod" errors={errors} path={`${path}.kinds`} />
        {withNames ? <ListInput id={`${idBase}-names`} label="Names" value={value.names} onChange={set("names")} placeholder="legacy-*" errors={errors} path={`${path}.names`} /> : null}
      </div>
      <SelectorEditor idBase={idBase} value={value} onChange={onChange} errors={errors} path={path} />
    </div>
  );
}

export function ExclusionsEditor({ value, onChange, clustersListId, errors }: { value: ScopeForm[]; onChange: (v: ScopeForm[]) => void; clustersListId: string; errors: readonly EditorError[] }) {
  return (
    <div className="space-y-3" data-testid="exclusions-editor">
      {value.length === 0 ? <p className="text-sm text-muted">No exclusions.</p> : null}
      {value.map((ex, i) => (
        <fieldset key={ex.uid} className="rounded-md border border-border p-3">
          <legend className="px-1 text-sm font-medium">Exclusion {i + 1}: a resource matching every field set here is left out</legend>
          <ScopeFields idBase={`ex${i}`} value={ex} onChange={(next) => onChange(value.map((x, j) => (j === i ? next : x)))} withNames clustersListId={clustersListId} errors={errors} path={`exclusions[${i}]`} />
          <FieldErrors errors={errorsAt(errors, `exclusions[${i}]`, true)} />
          <button type="button" className="btn btn-danger mt-3" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove exclusion
          </button>
        </fieldset>
      ))}
      <FieldErrors errors={errorsAt(errors, "exclusions", true)} />
      <button type="button" className="btn" onClick={() => onChange([...value, emptyScope()])} data-testid="add-exclusion">
        Add exclusion
      </button>
    </div>
  );
}
