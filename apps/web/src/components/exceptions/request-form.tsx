"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { requestExceptionAction } from "../../app/(dashboard)/exceptions/actions.ts";
import { KIND_LABELS } from "./labels.ts";
import { buildRequest, expiryBounds, REQUEST_SCOPE_FIELDS, type FieldError, type RequestScopeField } from "./request.ts";

// Requesting an exception (ANALYST+). Only the scope fields that are filled in are sent; the server
// checks each one and answers with errors by field path ("scope.advisory"), shown next to the field.
// Nothing is suppressed until an admin approves the request.

export function RequestExceptionForm({ clusters, policies, initial, maxDays }: { clusters: string[]; policies: string[]; initial: Partial<Record<RequestScopeField, string>>; maxDays: number }) {
  const router = useRouter();
  const [kind, setKind] = useState("RISK_ACCEPTED");
  const [scope, setScope] = useState<Partial<Record<RequestScopeField, string>>>(initial);
  const [reason, setReason] = useState("");
  const [expires, setExpires] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [pending, start] = useTransition();
  const { min: minDay, max: maxDay } = expiryBounds(new Date(), maxDays);
  const errorsOf = (path: string) => fields.filter((f) => f.path === path);
  const scopeErrors = fields.filter((f) => f.path === "scope" || f.path === "(root)");
  const listFor = (name: RequestScopeField) => (name === "cluster" ? "exc-cluster-options" : name === "policyId" ? "exc-policy-options" : undefined);

  return (
    <form
      className="card max-w-3xl space-y-5"
      aria-label="Request an exception"
      data-testid="exception-request-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setFields([]);
        start(async () => {
          const r = await requestExceptionAction(buildRequest({ kind, scope, reason, expires }));
          if (!r.ok) {
            setError(r.error);
            setFields(r.fields ?? []);
            return;
          }
          router.push(`/exceptions/${r.data.id}?requested=1`);
        });
      }}
    >
      <fieldset>
        <legend className="label">Kind</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {Object.entries(KIND_LABELS).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              {label}
              <span className="text-xs text-muted">{value === "RISK_ACCEPTED" ? "(real, accepted for a reason)" : "(the finding is wrong)"}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="label">Scope</legend>
        <p className="text-xs text-muted">Fill in at least one field; every field you fill in must match. Use one of advisory, policy or rule.</p>
        {scopeErrors.length ? (
          <ul role="alert" className="text-xs text-danger">
            {scopeErrors.map((f, i) => (
              <li key={i}>{f.message}</li>
            ))}
          </ul>
        ) : null}
        <div className="grid gap-3 sm:grid-cols-2">
          {REQUEST_SCOPE_FIELDS.map((f) => {
            const id = `exc-${f.name}`;
            const errs = errorsOf(`scope.${f.name}`);
            return (
              <div key={f.name}>
                <label htmlFor={id} className="label text-xs">
                  {f.label}
                </label>
                <input
                  id={id}
                  name={f.name}
                  className="input py-1.5 font-mono"
                  placeholder={f.placeholder}
                  maxLength={1000}
                  autoComplete="off"
                  spellCheck={false}
                  list={listFor(f.name)}
                  value={scope[f.name] ?? ""}
                  aria-invalid={errs.length ? true : undefined}
                  aria-describedby={errs.length ? `${id}-error` : f.hint ? `${id}-hint` : undefined}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setScope((s) => ({ ...s, [f.name]: v }));
                  }}
                  data-testid={`scope-${f.name}`}
                />
                {errs.length ? (
                  <p id={`${id}-error`} className="mt-1 text-xs text-danger">
                    {errs.map((x) => x.message).join("; ")}
                  </p>
                ) : f.hint ? (
                  <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
                    {f.hint}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
        <datalist id="exc-cluster-options">
          {clusters.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <datalist id="exc-policy-options">
          {policies.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </fieldset>

      <div>
        <label htmlFor="exc-reason" className="label">
          Reason
        </label>
        <textarea
          id="exc-reason"
          className="input min-h-24"
          maxLength={2000}
          required
          value={reason}
          aria-invalid={errorsOf("reason").length ? true : undefined}
          onChange={(e) => setReason(e.currentTarget.value)}
          placeholder="Why this is acceptable, and what mitigates it"
          data-testid="exception-reason"
        />
        {errorsOf("reason").length ? <p className="mt-1 text-xs text-danger">{errorsOf("reason").map((x) => x.message).join("; ")}</p> : null}
      </div>

      <div>
        <label htmlFor="exc-expires" className="label">
          Expires on <span className="font-normal text-muted">(optional)</span>
        </label>
        <input id="exc-expires" type="date" className="input w-auto py-1.5" min={minDay} max={maxDay} value={expires} onChange={(e) => setExpires(e.currentTarget.value)} data-testid="exception-expires" />
        <p className="mt-1 text-xs text-muted">
          At the end of that day (UTC) the exception stops applying and its findings reopen. At most {maxDays} days ahead; leave empty for no expiry.
        </p>
        {errorsOf("expiresAt").length ? <p className="mt-1 text-xs text-danger">{errorsOf("expiresAt").map((x) => x.message).join("; ")}</p> : null}
      </div>

      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="exception-request-error">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="exception-submit">
          {pending ? "Submitting…" : "Submit request"}
        </button>
      </div>
    </form>
  );
}
