"use client";

import { BUILTIN_POLICY_IDS, type PolicyDefinition } from "@bulwark/policy";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { createPolicyAction, updatePolicyAction } from "../../app/(dashboard)/policies/actions.ts";
import { CelEditor } from "./cel-editor.tsx";
import { CriteriaBuilder } from "./criteria-builder.tsx";
import { errorsAt, relativePath } from "./describe.ts";
import { EnforcementEditor } from "./enforcement-editor.tsx";
import { FieldErrors, type EditorError } from "./field-errors.tsx";
import { definitionToForm, emptyForm, formToDefinition, formWarnings, tunedBuiltinDefinition, type PolicyForm, type RuleType } from "./form-model.ts";
import { ImpactPreview } from "./impact-preview.tsx";
import { MetadataEditor } from "./metadata-editor.tsx";
import { definitionToYaml } from "./policy-yaml.ts";
import { ResponseEditor } from "./response-editor.tsx";
import { RuleView } from "./rule-view.tsx";
import { draftErrors } from "./validate.ts";
import { ExclusionsEditor, ScopeFields } from "./scope-editor.tsx";

// The policy editor (ADMIN+). Every change is compiled by the engine in the browser (debounced) so
// errors show at their field while typing; the server validates again on save and its errors land at
// the same paths. A built-in keeps its check and metadata: only where and how strictly it applies.

const COMPILE_DELAY_MS = 250;
const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_POLICY_IDS);

export interface PolicyEditorProps {
  mode: "create" | "edit";
  /** The stored definition when editing. */
  initial: PolicyDefinition | null;
  builtin: boolean;
  currentVersion: number | null;
  clusters: string[];
}

function Section({ title, children, testId, description }: { title: string; children: React.ReactNode; testId?: string; description?: string }) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section className="card space-y-3" aria-labelledby={id} data-testid={testId}>
      <div>
        <h2 id={id} className="font-semibold">
          {title}
        </h2>
        {description ? <p className="text-xs text-muted">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

export function PolicyEditor({ mode, initial, builtin, currentVersion, clusters }: PolicyEditorProps) {
  const router = useRouter();
  const [form, setForm] = useState<PolicyForm>(() => (initial ? definitionToForm(initial) : emptyForm()));
  const [message, setMessage] = useState("");
  const [clientErrors, setClientErrors] = useState<EditorError[]>([]);
  const [compiling, setCompiling] = useState(false);
  const [serverErrors, setServerErrors] = useState<EditorError[]>([]);
  const [saveError, setSaveError] = useState<{ message: string; withFields: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, startSave] = useTransition();

  const draft = useMemo(() => (builtin && initial ? tunedBuiltinDefinition(initial, form) : formToDefinition(form)), [builtin, initial, form]);
  const draftJson = useMemo(() => JSON.stringify(draft), [draft]);
  const [savedJson, setSavedJson] = useState(draftJson);
  const dirty = draftJson !== savedJson;

  useEffect(() => {
    setCompiling(true);
    const t = setTimeout(() => {
      setClientErrors(draftErrors(JSON.parse(draftJson) as Record<string, unknown>).map((e) => ({ ...e, source: "client" as const })));
      setCompiling(false);
    }, COMPILE_DELAY_MS);
    return () => clearTimeout(t);
  }, [draftJson]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const warnings: EditorError[] = [
    ...formWarnings(form),
    ...(mode === "create" && BUILTIN_IDS.has(form.id.trim()) ? [{ path: "id", message: "is a built-in policy's key; edit the built-in or clone it instead" }] : []),
  ];
  const errors = [...clientErrors, ...serverErrors, ...warnings];
  const blocking = clientErrors.length + warnings.filter((w) => w.path === "id").length;

  function set(patch: Partial<PolicyForm>) {
    setForm((f) => ({ ...f, ...patch }));
    setServerErrors([]);
    setNotice(null);
    setSaveError(null);
  }

  function save() {
    setSaveError(null);
    setNotice(null);
    startSave(async () => {
      const r = mode === "create" ? await createPolicyAction(draft, message) : await updatePolicyAction(initial?.id ?? "", draft, message, currentVersion ?? undefined);
      if (!r.ok) {
        setSaveError({ message: r.error, withFields: (r.fields ?? []).length > 0 });
        setServerErrors((r.fields ?? []).map((f) => ({ path: relativePath(f.path), message: f.message, source: "server" })));
        return;
      }
      setSavedJson(draftJson);
      if ("changed" in r.data && !r.data.changed) {
        setNotice("Nothing to save: the policy already has exactly this definition.");
        return;
      }
      router.push(`/policies/${r.data.key}`);
      router.refresh();
    });
  }

  const ruleTypes: { value: RuleType; label: string }[] = [
    { value: "criteria", label: "Criteria (form)" },
    { value: "cel", label: "CEL expression" },
    ...(form.builtinId !== "" ? [{ value: "builtin" as const, label: `Built-in check (${form.builtinId})` }] : []),
  ];
  const celErrors = errors.filter((e) => e.path === "rule.expression" || e.path === "rule.message");
  const clustersListId = "org-clusters";

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      aria-label={mode === "create" ? "New policy" : `Edit policy ${initial?.id ?? ""}`}
      data-testid="policy-editor"
    >
      <datalist id={clustersListId}>
        {clusters.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>

      {builtin && initial ? (
        <Section title="Built-in policy" testId="builtin-notice">
          <p className="text-sm">
            <strong>{initial.name ?? initial.id}</strong> is a built-in: its check and metadata are Bulwark&apos;s. Here you can change where it applies, its enforcement, its runtime
            response and whether it is enabled. To change anything else,{" "}
            <Link href={`/policies/${initial.id}`} className="text-accent underline">
              clone it
            </Link>{" "}
            into a custom policy.
          </p>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={!form.disabled} onChange={(e) => set({ disabled: !e.currentTarget.checked })} data-testid="editor-enabled" />
            Enabled
          </label>
          {initial.rule ? <RuleView rule={initial.rule} /> : null}
        </Section>
      ) : (
        <>
          <Section title="Policy">
            <MetadataEditor form={form} set={set} errors={errors} keyEditable={mode === "create"} />
          </Section>
          <Section title="Rule" testId="rule-editor">
            <fieldset>
              <legend className="label">Rule type</legend>
              <div className="flex flex-wrap gap-4">
                {ruleTypes.map((t) => (
                  <label key={t.value} className="flex items-center gap-2 text-sm">
                    <input type="radio" name="rule-type" value={t.value} checked={form.ruleType === t.value} onChange={() => set({ ruleType: t.value })} data-testid={`rule-type-${t.value}`} />
                    {t.label}
                  </label>
                ))}
              </div>
            </fieldset>
            {form.ruleType === "criteria" ? (
              <CriteriaBuilder sections={form.sections} onChange={(sections) => set({ sections })} errors={errors} />
            ) : form.ruleType === "cel" ? (
              <CelEditor
                expression={form.celExpression}
                message={form.celMessage}
                onExpression={(celExpression) => set({ celExpression })}
                onMessage={(celMessage) => set({ celMessage })}
                errors={celErrors}
                pending={compiling}
              />
            ) : (
              <p className="text-sm text-muted">
                Uses the built-in check <code className="font-mono">{form.builtinId}</code> unchanged. Switch to criteria or CEL to write your own rule.
              </p>
            )}
            <FieldErrors errors={errorsAt(errors, "rule", true).concat(errorsAt(errors, "rule.id", true), errorsAt(errors, "rule.type", true))} base="rule" />
          </Section>
        </>
      )}

      <Section title="Scope" description="Where the policy applies. Leave everything empty to apply it everywhere; names accept * globs (kube-*).">
        <ScopeFields idBase="scope" value={form.scope} onChange={(scope) => set({ scope })} withNames={false} clustersListId={clustersListId} errors={errors} path="scope" />
      </Section>

      <Section title="Exclusions" description="Resources the policy never judges.">
        <ExclusionsEditor value={form.exclusions} onChange={(exclusions) => set({ exclusions })} clustersListId={clustersListId} errors={errors} />
      </Section>

      <Section title="Enforcement" testId="enforcement-editor">
        <EnforcementEditor
          mode={form.enforcement}
          overrides={form.clusterEnforcement}
          onMode={(enforcement) => set({ enforcement })}
          onOverrides={(clusterEnforcement) => set({ clusterEnforcement })}
          clusters={clusters}
          clustersListId={clustersListId}
          errors={errors}
        />
      </Section>

      <Section title="Runtime response" testId="runtime-response" description="What the cluster's enforcement point does to a running workload that violates this policy (RUNTIME stage, ENFORCE only).">
        <ResponseEditor
          action={form.responseAction}
          rules={form.responseRules}
          onAction={(responseAction) => set({ responseAction })}
          onRules={(responseRules) => set({ responseRules })}
          acts={form.enforcement === "ENFORCE" || form.clusterEnforcement.some((o) => o.mode === "ENFORCE")}
          errors={errors}
        />
      </Section>

      <Section title="Impact preview" testId="impact-preview">
        <ImpactPreview draft={() => draft} blocked={clientErrors.length > 0 ? "Fix the errors below to preview this draft." : null} onFieldErrors={setServerErrors} />
      </Section>

      <section className="card space-y-3" aria-label="Save">
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">Draft as YAML</summary>
          <pre className="mt-2 max-h-96 overflow-auto rounded-md border border-border bg-surface-2 p-3 font-mono text-xs" data-testid="draft-yaml">
            {definitionToYaml(draft)}
          </pre>
        </details>
        {errors.length > 0 ? (
          <div role="alert" className="rounded-md border border-border p-3" data-testid="editor-errors">
            <p className="text-sm font-medium text-danger">
              {errors.length === 1 ? "1 problem" : `${errors.length} problems`} {blocking > 0 ? "to fix before saving" : ""}
            </p>
            <FieldErrors errors={errors} />
          </div>
        ) : null}
        <div>
          <label htmlFor="policy-message" className="label">
            Change message <span className="font-normal text-muted">(optional, kept in the version history)</span>
          </label>
          <input id="policy-message" data-testid="policy-message" className="input" maxLength={500} value={message} onChange={(e) => setMessage(e.currentTarget.value)} placeholder={mode === "create" ? "Created" : "What changed and why"} />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn btn-primary" data-testid="save-policy" disabled={saving || blocking > 0 || compiling}>
            {saving ? "Saving…" : mode === "create" ? "Create policy" : "Save new version"}
          </button>
          <Link href={mode === "edit" && initial ? `/policies/${initial.id}` : "/policies"} className="btn">
            Cancel
          </Link>
          {dirty && !saving ? <span className="text-xs text-muted">Unsaved changes</span> : null}
        </div>
        {saveError ? (
          <p role="alert" className="text-sm text-danger" data-testid="save-error">
            {saveError.message.replace(/\.?$/, ".")} Your draft is kept here.
            {mode === "edit" && initial && !saveError.withFields ? (
              <>
                {" "}
                <a href={`/policies/${initial.id}`} target="_blank" rel="noreferrer" className="underline">
                  Open the current version in a new tab
                </a>{" "}
                to compare.
              </>
            ) : null}
          </p>
        ) : null}
        {notice ? (
          <p role="status" className="text-sm text-muted">
            {notice}
          </p>
        ) : null}
      </section>
    </form>
  );
}
