"use client";

import { useActionState } from "react";
import type { ActionResult } from "../../../../server/actions.ts";
import { addDeployerAction } from "./actions.ts";

interface FormState {
  result: ActionResult<{ id: string; namespace: string; subject: string }>;
  /** What was typed, kept after a refused submission (React resets the form after every action). */
  values: { namespace: string; subject: string; note: string };
  attempt: number;
}

const EMPTY = { namespace: "", subject: "", note: "" };

export function DeployerForm() {
  const [state, action, pending] = useActionState(async (prev: FormState | null, formData: FormData): Promise<FormState> => {
    const result = await addDeployerAction(formData);
    const typed = { namespace: String(formData.get("namespace") ?? ""), subject: String(formData.get("subject") ?? ""), note: String(formData.get("note") ?? "") };
    return { result, values: result.ok ? EMPTY : typed, attempt: (prev?.attempt ?? 0) + 1 };
  }, null);
  const failed = state && !state.result.ok ? state.result : null;
  const fieldError = (path: string) => failed?.fields?.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message;
  const values = state?.values ?? EMPTY;
  const described = (id: string, hint?: string) => [hint, fieldError(id) ? `${id}-error` : undefined].filter(Boolean).join(" ") || undefined;

  return (
    <div className="card" data-testid="add-deployer-form">
      <h2 className="font-semibold">Allow a deployer</h2>
      {/* key: remount with the kept values after each submission */}
      <form key={state?.attempt ?? 0} action={action} className="mt-3 grid gap-4 md:grid-cols-[12rem_1fr_1fr_auto] md:items-start" noValidate>
        <div>
          <label htmlFor="namespace" className="label">
            Namespace
          </label>
          <input
            id="namespace"
            name="namespace"
            required
            maxLength={63}
            defaultValue={values.namespace}
            className="input font-mono"
            placeholder="shop or *"
            aria-invalid={fieldError("namespace") ? true : undefined}
            aria-describedby={described("namespace", "namespace-hint")}
          />
          <p id="namespace-hint" className="mt-1 text-xs text-muted">
            <code>*</code> for every namespace
          </p>
          {fieldError("namespace") ? (
            <p id="namespace-error" className="mt-1 text-xs text-danger">
              {fieldError("namespace")}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="subject" className="label">
            Subject
          </label>
          <input
            id="subject"
            name="subject"
            required
            maxLength={253}
            defaultValue={values.subject}
            className="input font-mono"
            placeholder="system:serviceaccount:argocd:argocd-application-controller"
            aria-invalid={fieldError("subject") ? true : undefined}
            aria-describedby={described("subject", "subject-hint")}
          />
          <p id="subject-hint" className="mt-1 text-xs text-muted">
            A username, <code>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</code> or <code>group:&lt;name&gt;</code>
          </p>
          {fieldError("subject") ? (
            <p id="subject-error" className="mt-1 text-xs text-danger">
              {fieldError("subject")}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="note" className="label">
            Note (optional)
          </label>
          <input
            id="note"
            name="note"
            maxLength={500}
            defaultValue={values.note}
            className="input"
            placeholder="GitOps controller"
            aria-invalid={fieldError("note") ? true : undefined}
            aria-describedby={described("note")}
          />
          {fieldError("note") ? (
            <p id="note-error" className="mt-1 text-xs text-danger">
              {fieldError("note")}
            </p>
          ) : null}
        </div>
        <div className="md:pt-6">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {pending ? "Adding…" : "Add"}
          </button>
        </div>
      </form>
      {failed ? (
        <p className="mt-3 text-sm text-danger" role="alert" data-testid="add-deployer-error">
          {failed.error}
        </p>
      ) : state?.result.ok ? (
        <p className="mt-3 text-sm" role="status">
          <code>{state.result.data.subject}</code> may now deploy to {state.result.data.namespace === "*" ? "every namespace" : <code>{state.result.data.namespace}</code>}.
        </p>
      ) : null}
    </div>
  );
}
