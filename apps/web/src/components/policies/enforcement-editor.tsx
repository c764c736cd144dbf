"use client";

import { ENFORCEMENT_MODES } from "@bulwark/policy";
import { uid, type Mode, type OverrideForm } from "./form-model.ts";
import { ENFORCEMENT_HELP, errorsAt } from "./describe.ts";
import { FieldErrors, type EditorError } from "./field-errors.tsx";

// The policy's enforcement mode and per-cluster overrides, for rolling a policy out cluster by
// cluster (AUDIT → WARN → ENFORCE). A cluster without an override uses the policy's mode.

export function EnforcementEditor({
  mode,
  overrides,
  onMode,
  onOverrides,
  clusters,
  clustersListId,
  errors,
}: {
  mode: Mode;
  overrides: OverrideForm[];
  onMode: (m: Mode) => void;
  onOverrides: (o: OverrideForm[]) => void;
  clusters: string[];
  clustersListId: string;
  errors: readonly EditorError[];
}) {
  const used = new Set(overrides.map((o) => o.cluster.trim()));
  const nextCluster = clusters.find((c) => !used.has(c)) ?? "";
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="label">Enforcement</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {ENFORCEMENT_MODES.map((m) => (
            <label key={m} className={`flex cursor-pointer items-start gap-2 rounded-md border p-2 text-sm ${mode === m ? "border-accent" : "border-border"}`}>
              <input type="radio" name="enforcement" value={m} checked={mode === m} onChange={() => onMode(m)} className="mt-1" data-testid={`enforcement-mode-${m}`} />
              <span>
                <span className="font-medium">{m.charAt(0) + m.slice(1).toLowerCase()}</span>
                <span className="block text-xs text-muted">{ENFORCEMENT_HELP[m]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrors errors={errorsAt(errors, "enforcement")} base="enforcement" />
      </fieldset>

      <fieldset data-testid="cluster-enforcement">
        <legend className="label">Per-cluster overrides</legend>
        {overrides.length === 0 ? <p className="text-sm text-muted">Every cluster uses the mode above.</p> : null}
        <ul className="space-y-2">
          {overrides.map((o, i) => (
            <li key={o.uid} className="flex flex-wrap items-end gap-2">
              <div className="min-w-48 flex-1">
                <label htmlFor={`ce-${i}-cluster`} className="text-xs text-muted">
                  Cluster
                </label>
                <input
                  id={`ce-${i}-cluster`}
                  className="input"
                  list={clustersListId}
                  value={o.cluster}
                  placeholder="cluster name"
                  onChange={(e) => onOverrides(overrides.map((x, j) => (j === i ? { ...x, cluster: e.currentTarget.value } : x)))}
                />
                {o.cluster.trim() !== "" && clusters.length > 0 && !clusters.includes(o.cluster.trim()) ? (
                  <p className="mt-1 text-xs text-warn">No cluster of this organization has reported under this name yet.</p>
                ) : null}
              </div>
              <div>
                <label htmlFor={`ce-${i}-mode`} className="text-xs text-muted">
                  Mode
                </label>
                <select id={`ce-${i}-mode`} className="input" value={o.mode} onChange={(e) => onOverrides(overrides.map((x, j) => (j === i ? { ...x, mode: e.currentTarget.value as Mode } : x)))}>
                  {ENFORCEMENT_MODES.map((m) => (
                    <option key={m} value={m}>
                      {m.charAt(0) + m.slice(1).toLowerCase()}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="btn btn-danger" aria-label={`Remove override for ${o.cluster || `row ${i + 1}`}`} onClick={() => onOverrides(overrides.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <FieldErrors errors={errorsAt(errors, "clusterEnforcement")} base="clusterEnforcement" />
        <button type="button" className="btn mt-2" onClick={() => onOverrides([...overrides, { uid: uid(), cluster: nextCluster, mode }])} data-testid="add-cluster-override">
          Add cluster override
        </button>
      </fieldset>
    </div>
  );
}
