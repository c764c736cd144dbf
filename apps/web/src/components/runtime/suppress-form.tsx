"use client";

import { type SuppressionOption } from "@bulwark/core";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { suppressRuntimeAction } from "../../app/(dashboard)/runtime/actions.ts";
import { formatDateTime } from "../format.ts";

// Suppressing a noisy runtime rule (ANALYST+): an expiring exception for this rule in a place chosen
// from presets, each shown with the exact scope it asks for. An admin's request is approved at once;
// anyone else's waits for an admin on the Exceptions page. The server validates everything again.

type FieldError = { path: string; message: string };
type Done = { exceptionId: string; approved: boolean; suppressed: number; matchCount: number; expiresAt: string };

const MAX_DAYS = 90;

export function scopeText(scope: Record<string, string | undefined>): string {
  return Object.entries(scope)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
}

export function SuppressForm({ findingId, options, isAdmin }: { findingId: string; options: SuppressionOption[]; isAdmin: boolean }) {
  const router = useRouter();
  const firstUsable = options.find((o) => o.scope)?.preset ?? "workload";
  const [preset, setPreset] = useState<string>(firstUsable);
  const [days, setDays] = useState("7");
  const [reason, setReason] = useState("");
  const [kind, setKind] = useState("RISK_ACCEPTED");
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [done, setDone] = useState<Done | null>(null);
  const [pending, start] = useTransition();
  const errorOf = (path: string) => fields.filter((f) => f.path === path).map((f) => f.message).join("; ");
  const usable = options.some((o) => o.scope);

  return (
    <form
      className="space-y-4"
      aria-label="Suppress this runtime finding"
      data-testid="runtime-suppress-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setFields([]);
        setDone(null);
        start(async () => {
          const r = await suppressRuntimeAction(findingId, { preset, reason, expiresInDays: days, kind });
          if (!r.ok) {
            setError(r.error);
            setFields(r.fields ?? []);
            return;
          }
          setDone(r.data);
          setReason("");
          router.refresh();
        });
      }}
    >
      <fieldset>
        <legend className="label">Suppress</legend>
        <ul className="space-y-2 text-sm">
          {options.map((o) => (
            <li key={o.preset}>
              <label className={`flex items-start gap-2 ${o.scope ? "" : "text-muted"}`}>
                <input type="radio" name="preset" value={o.preset} checked={preset === o.preset} disabled={!o.scope} onChange={() => setPreset(o.preset)} className="mt-1" data-testid={`suppress-preset-${o.preset}`} />
                <span>
                  {o.label}
                  <span className="block font-mono text-xs text-muted">{o.scope ? scopeText(o.scope) : `Not available: ${o.why ?? ""}`}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {errorOf("preset") ? <p className="mt-1 text-xs text-danger">{errorOf("preset")}</p> : null}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="suppress-days" className="label text-xs">
            Expires after (days)
          </label>
          <input
            id="suppress-days"
            type="number"
            required
            min={1}
            max={MAX_DAYS}
            step={1}
            value={days}
            onChange={(e) => setDays(e.currentTarget.value)}
            aria-describedby="suppress-days-hint"
            aria-invalid={errorOf("expiresInDays") ? true : undefined}
            className="input py-1.5"
            data-testid="suppress-days"
          />
          <p id="suppress-days-hint" className="mt-1 text-xs text-muted">
            {errorOf("expiresInDays") ? <span className="text-danger">{errorOf("expiresInDays")}. </span> : null}
            Runtime suppressions always expire: 1 to {MAX_DAYS} days. The findings reopen afterwards.
          </p>
        </div>
        <div>
          <label htmlFor="suppress-kind" className="label text-xs">
            Why it is not a threat
          </label>
          <select id="suppress-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)} className="input py-1.5">
            <option value="RISK_ACCEPTED">Expected behaviour (risk accepted)</option>
            <option value="FALSE_POSITIVE">False positive (the rule is wrong here)</option>
          </select>
        </div>
      </div>
      <div>
        <label htmlFor="suppress-reason" className="label text-xs">
          Reason
        </label>
        <textarea
          id="suppress-reason"
          required
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          aria-invalid={errorOf("reason") ? true : undefined}
          className="input min-h-20"
          placeholder="What runs this, and why it is expected"
          data-testid="suppress-reason"
        />
        {errorOf("reason") ? <p className="mt-1 text-xs text-danger">{errorOf("reason")}</p> : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn btn-primary" disabled={pending || !usable} data-testid="suppress-submit">
          {pending ? "Saving…" : isAdmin ? "Suppress" : "Request suppression"}
        </button>
        <span className="text-xs text-muted">{isAdmin ? "As an admin, your exception is approved at once." : "An admin approves the exception before anything is suppressed."}</span>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="suppress-error">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-ok" data-testid="suppress-done">
          {done.approved
            ? `Suppressed ${done.suppressed} finding${done.suppressed === 1 ? "" : "s"} until ${formatDateTime(done.expiresAt)}. `
            : `Requested; the exception matches ${done.matchCount} finding${done.matchCount === 1 ? "" : "s"} and waits for an admin's approval. `}
          <Link href={`/exceptions/${done.exceptionId}`} className="text-accent underline">
            View the exception
          </Link>
        </p>
      ) : null}
    </form>
  );
}
