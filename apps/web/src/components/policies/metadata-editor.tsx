"use client";

import { SEVERITIES, STAGES, THREAT_IDS } from "@bulwark/policy";
import { titleCase } from "../format.ts";
import { errorsAt } from "./describe.ts";
import { FieldErrors, type EditorError } from "./field-errors.tsx";
import type { PolicyForm, SeverityValue } from "./form-model.ts";

// Name, key, severity, stages and the texts shown in findings. The key is fixed once a policy exists
// (it is part of the API: bundles, exceptions, findings); clone a policy to give it another key.

const STAGE_HELP: Record<string, string> = { BUILD: "CI (bulwark policy eval)", DEPLOY: "admission", RUNTIME: "inventory" };

function Text({ id, label, value, onChange, errors, path, required, multiline, hint, maxLength, readOnly }: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors: readonly EditorError[];
  path: string;
  required?: boolean;
  multiline?: boolean;
  hint?: string;
  maxLength: number;
  readOnly?: boolean;
}) {
  const mine = errorsAt(errors, path);
  const common = {
    id,
    className: `input${multiline ? " min-h-20" : ""}`,
    value,
    maxLength,
    readOnly,
    required,
    "aria-invalid": mine.length > 0 || undefined,
    "aria-describedby": hint ? `${id}-hint` : undefined,
  };
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
        {required ? <span className="text-danger"> *</span> : null}
      </label>
      {multiline ? <textarea {...common} rows={3} onChange={(e) => onChange(e.currentTarget.value)} /> : <input {...common} onChange={(e) => onChange(e.currentTarget.value)} />}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      <FieldErrors errors={mine} base={path} />
    </div>
  );
}

export function MetadataEditor({ form, set, errors, keyEditable }: { form: PolicyForm; set: (patch: Partial<PolicyForm>) => void; errors: readonly EditorError[]; keyEditable: boolean }) {
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="metadata-editor">
      <Text id="policy-name" label="Name" value={form.name} onChange={(name) => set({ name })} errors={errors} path="name" required maxLength={200} />
      <Text
        id="policy-key"
        label="Key"
        value={form.id}
        onChange={(id) => set({ id })}
        errors={errors}
        path="id"
        required
        maxLength={100}
        readOnly={!keyEditable}
        hint={keyEditable ? "lower-kebab-case (a-z, 0-9, -); cannot be changed later" : "The key cannot change; clone the policy to use another key."}
      />
      <div>
        <label htmlFor="policy-severity" className="label">
          Severity<span className="text-danger"> *</span>
        </label>
        <select id="policy-severity" className="input" value={form.severity} onChange={(e) => set({ severity: e.currentTarget.value as SeverityValue | "" })} aria-invalid={errorsAt(errors, "severity").length > 0 || undefined}>
          {form.severity === "" ? <option value="">Choose…</option> : null}
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {titleCase(s)}
            </option>
          ))}
        </select>
        <FieldErrors errors={errorsAt(errors, "severity")} base="severity" />
      </div>
      <Text id="policy-category" label="Category" value={form.category} onChange={(category) => set({ category })} errors={errors} path="category" maxLength={100} hint="Free text, e.g. workload-security; defaults to custom." />
      <fieldset>
        <legend className="label">Stages</legend>
        <div className="flex flex-wrap gap-4">
          {STAGES.map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={form.stages.includes(s)}
                onChange={(e) => set({ stages: e.currentTarget.checked ? [...form.stages, s] : form.stages.filter((x) => x !== s) })}
              />
              {titleCase(s)} <span className="text-xs text-muted">({STAGE_HELP[s]})</span>
            </label>
          ))}
        </div>
        <FieldErrors errors={errorsAt(errors, "stages")} base="stages" />
      </fieldset>
      <fieldset>
        <legend className="label">State</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={!form.disabled} onChange={(e) => set({ disabled: !e.currentTarget.checked })} data-testid="editor-enabled" />
          Enabled (a disabled policy is kept and compiled but never evaluated)
        </label>
      </fieldset>
      <div className="md:col-span-2">
        <Text id="policy-description" label="Description" value={form.description} onChange={(description) => set({ description })} errors={errors} path="description" multiline maxLength={5000} />
      </div>
      <Text id="policy-rationale" label="Rationale" value={form.rationale} onChange={(rationale) => set({ rationale })} errors={errors} path="rationale" multiline maxLength={5000} hint="Why it matters; shown with findings." />
      <Text id="policy-remediation" label="Remediation" value={form.remediation} onChange={(remediation) => set({ remediation })} errors={errors} path="remediation" multiline maxLength={5000} hint="How to fix a violation." />
      <Text id="policy-mitre" label="MITRE ATT&CK techniques" value={form.mitre} onChange={(mitre) => set({ mitre })} errors={errors} path="mitre" maxLength={1000} hint="Comma-separated ids such as T1610, T1611.001" />
      <fieldset>
        <legend className="label">Threats</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {THREAT_IDS.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={form.threats.includes(t)} onChange={(e) => set({ threats: e.currentTarget.checked ? [...form.threats, t] : form.threats.filter((x) => x !== t) })} />
              {t}
            </label>
          ))}
        </div>
        <FieldErrors errors={errorsAt(errors, "threats")} base="threats" />
      </fieldset>
    </div>
  );
}
