"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "../../server/actions.ts";
import { CopyButton } from "../copy-button.tsx";
import {
  buildCreateInput,
  buildUpdateInput,
  CHANNEL_TYPE_LABELS,
  type ChannelFormValues,
  type ChannelKind,
  fieldOf,
  FINDING_TYPE_OPTIONS,
  type FormField,
  SEVERITY_OPTIONS,
} from "./form-model.ts";

// Create or edit a notification channel (ADMIN+). Errors come back by API path ("config.url") and are
// shown next to their field; secret fields start empty and, when editing, blank means "keep".

export type SaveChannel = (input: Record<string, unknown>) => Promise<ActionResult<{ id: string; signingSecret: string | null }>>;

export interface ChannelFormProps {
  mode: "create" | "edit";
  initial: ChannelFormValues;
  /** Edit mode: what is stored, to say what blank fields keep. */
  stored?: { maskedUrl?: string; headerNames?: string[]; hasPassword?: boolean };
  save: SaveChannel;
  clusters?: string[];
}

type Errors = Partial<Record<FormField, string>>;

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: string | undefined; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function ChannelForm({ mode, initial, stored = {}, save, clusters = [] }: ChannelFormProps) {
  const router = useRouter();
  const [v, setV] = useState<ChannelFormValues>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const editing = mode === "edit";
  const set = <K extends keyof ChannelFormValues>(key: K, value: ChannelFormValues[K]) => setV((prev) => ({ ...prev, [key]: value }));
  const input = (id: FormField, hint = false) => ({
    id: `ch-${id}`,
    name: id,
    "aria-invalid": errors[id] ? true : undefined,
    "aria-describedby": [hint ? `ch-${id}-hint` : null, errors[id] ? `ch-${id}-error` : null].filter(Boolean).join(" ") || undefined,
  });
  const keep = editing ? "Leave blank to keep the stored value." : undefined;

  return (
    <form
      className="card space-y-5"
      aria-labelledby="channel-form-title"
      data-testid="channel-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setErrors({});
        setGeneral(null);
        setSaved(false);
        start(async () => {
          const r = await save(editing ? buildUpdateInput(v) : buildCreateInput(v));
          if (!r.ok) {
            const byField: Errors = {};
            const rest: string[] = [];
            for (const f of r.fields ?? []) {
              const field = fieldOf(f.path);
              if (field) byField[field] = byField[field] ? `${byField[field]}; ${f.message}` : f.message;
              else rest.push(f.message);
            }
            setErrors(byField);
            setGeneral([r.error, ...rest].join(" "));
            return;
          }
          setSecret(r.data.signingSecret);
          setSaved(true);
          if (!editing) setV(initial);
          else setV((prev) => ({ ...prev, url: "", secret: "", regenerateSecret: false, headers: "", clearHeaders: false, webhookUrl: "", password: "", clearPassword: false }));
          router.refresh();
        });
      }}
    >
      <h2 id="channel-form-title" className="font-semibold">
        {editing ? `Edit channel ${initial.name}` : "Add a channel"}
      </h2>
      {general ? (
        <p role="alert" className="text-sm text-danger" data-testid="channel-form-error">
          {general}
        </p>
      ) : null}
      {saved ? (
        <div role="status" className="rounded border border-border p-3 text-sm" data-testid="channel-saved">
          <p>{editing ? "Channel saved." : "Channel added."}</p>
          {secret ? (
            <div className="mt-2 space-y-2">
              <p className="font-medium">Signing secret (shown once; receivers verify X-Bulwark-Signature with it):</p>
              <p className="flex flex-wrap items-center gap-2">
                <code className="rounded bg-surface-2 px-2 py-1 font-mono break-all" data-testid="signing-secret">
                  {secret}
                </code>
                <CopyButton text={secret} />
              </p>
            </div>
          ) : null}
        </div>
      ) : null}

      <div className="grid gap-4 md:grid-cols-3">
        <Field id="ch-name" label="Name" error={errors.name}>
          <input {...input("name")} className="input" maxLength={100} required value={v.name} onChange={(e) => set("name", e.currentTarget.value)} />
        </Field>
        <Field id="ch-type" label="Type" hint={editing ? "The type of a channel cannot change." : undefined}>
          <select id="ch-type" name="type" className="input" value={v.type} disabled={editing} aria-describedby={editing ? "ch-type-hint" : undefined} onChange={(e) => set("type", e.currentTarget.value as ChannelKind)}>
            {Object.entries(CHANNEL_TYPE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <div className="flex items-end">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="enabled" checked={v.enabled} onChange={(e) => set("enabled", e.currentTarget.checked)} />
            Enabled
          </label>
        </div>
      </div>

      <fieldset className="space-y-4">
        <legend className="label">Destination</legend>
        {v.type === "WEBHOOK" ? (
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="ch-url" label="URL" hint={editing ? `Now ${stored.maskedUrl ?? "set"}. ${keep}` : "Receives a signed JSON POST per alert."} error={errors.url}>
              <input {...input("url", true)} type="url" className="input font-mono" maxLength={2048} autoComplete="off" value={v.url} onChange={(e) => set("url", e.currentTarget.value)} />
            </Field>
            <Field id="ch-secret" label="Signing secret (optional)" hint={editing ? keep : "Generated and shown once when left blank."} error={errors.secret}>
              <input {...input("secret", true)} type="password" className="input font-mono" maxLength={200} autoComplete="new-password" value={v.secret} disabled={v.regenerateSecret} onChange={(e) => set("secret", e.currentTarget.value)} />
              {editing ? (
                <label className="mt-1 flex items-center gap-2 text-xs">
                  <input type="checkbox" name="regenerateSecret" checked={v.regenerateSecret} onChange={(e) => set("regenerateSecret", e.currentTarget.checked)} />
                  Generate a new secret
                </label>
              ) : null}
            </Field>
            <div className="md:col-span-2">
              <Field
                id="ch-headers"
                label="Extra headers (optional)"
                hint={editing ? `One "Name: value" per line. Now: ${stored.headerNames?.length ? stored.headerNames.join(", ") : "none"}. ${keep}` : 'One "Name: value" per line, e.g. Authorization: Bearer …; values are stored encrypted.'}
                error={errors.headers}
              >
                <textarea {...input("headers", true)} className="input font-mono" rows={2} value={v.headers} disabled={v.clearHeaders} onChange={(e) => set("headers", e.currentTarget.value)} />
                {editing && stored.headerNames?.length ? (
                  <label className="mt-1 flex items-center gap-2 text-xs">
                    <input type="checkbox" name="clearHeaders" checked={v.clearHeaders} onChange={(e) => set("clearHeaders", e.currentTarget.checked)} />
                    Remove all extra headers
                  </label>
                ) : null}
              </Field>
            </div>
          </div>
        ) : v.type === "SLACK" ? (
          <Field id="ch-webhookUrl" label="Incoming webhook URL" hint={editing ? `Now ${stored.maskedUrl ?? "set"}. ${keep}` : "A Slack (or Slack-compatible, e.g. Mattermost) incoming webhook."} error={errors.webhookUrl}>
            <input {...input("webhookUrl", true)} type="url" className="input font-mono" maxLength={2048} autoComplete="off" value={v.webhookUrl} onChange={(e) => set("webhookUrl", e.currentTarget.value)} />
          </Field>
        ) : (
          <div className="grid gap-4 md:grid-cols-3">
            <Field id="ch-host" label="SMTP host" error={errors.host}>
              <input {...input("host")} className="input font-mono" maxLength={253} value={v.host} onChange={(e) => set("host", e.currentTarget.value)} />
            </Field>
            <Field id="ch-port" label="Port" error={errors.port}>
              <input {...input("port")} inputMode="numeric" className="input" maxLength={5} value={v.port} onChange={(e) => set("port", e.currentTarget.value)} />
            </Field>
            <Field id="ch-security" label="Security" hint="TLS: usually port 465; STARTTLS: usually 587." error={errors.security}>
              <select {...input("security", true)} className="input" value={v.security} onChange={(e) => set("security", e.currentTarget.value as ChannelFormValues["security"])}>
                <option value="tls">TLS</option>
                <option value="starttls">STARTTLS (required)</option>
                <option value="none">None (testing only)</option>
              </select>
            </Field>
            <Field id="ch-username" label="Username (optional)" error={errors.username}>
              <input {...input("username")} className="input" maxLength={320} autoComplete="off" value={v.username} onChange={(e) => set("username", e.currentTarget.value)} />
            </Field>
            <Field id="ch-password" label="Password (optional)" hint={editing ? (stored.hasPassword ? `A password is stored. ${keep}` : "No password is stored.") : "Stored encrypted."} error={errors.password}>
              <input {...input("password", true)} type="password" className="input" maxLength={1000} autoComplete="new-password" value={v.password} disabled={v.clearPassword} onChange={(e) => set("password", e.currentTarget.value)} />
              {editing && stored.hasPassword ? (
                <label className="mt-1 flex items-center gap-2 text-xs">
                  <input type="checkbox" name="clearPassword" checked={v.clearPassword} onChange={(e) => set("clearPassword", e.currentTarget.checked)} />
                  Remove the stored password
                </label>
              ) : null}
            </Field>
            <Field id="ch-from" label="From" error={errors.from}>
              <input {...input("from")} type="email" className="input" maxLength={320} value={v.from} onChange={(e) => set("from", e.currentTarget.value)} />
            </Field>
            <div className="md:col-span-3">
              <Field id="ch-to" label="To" hint="Up to 50 addresses, one per line or comma-separated." error={errors.to}>
                <textarea {...input("to", true)} className="input" rows={2} value={v.to} onChange={(e) => set("to", e.currentTarget.value)} />
              </Field>
            </div>
          </div>
        )}
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="label">Routing</legend>
        <p className="text-xs text-muted">Which alerts reach this channel. Every filled-in criterion must match; none sends every alert.</p>
        <div className="grid gap-4 md:grid-cols-3">
          <Field id="ch-minSeverity" label="Minimum severity" error={errors.minSeverity}>
            <select {...input("minSeverity")} className="input" value={v.minSeverity} onChange={(e) => set("minSeverity", e.currentTarget.value)}>
              <option value="">Any</option>
              {SEVERITY_OPTIONS.map((s) => (
                <option key={s} value={s}>
                  {s} and above
                </option>
              ))}
            </select>
          </Field>
          <Field id="ch-clusters" label="Clusters" hint="Names, comma-separated; blank for all." error={errors.clusters}>
            <input {...input("clusters", true)} className="input font-mono" list="ch-cluster-options" value={v.clusters} onChange={(e) => set("clusters", e.currentTarget.value)} />
            <datalist id="ch-cluster-options">
              {clusters.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </Field>
          <Field id="ch-policies" label="Rules or policies" hint="Policy keys or Falco rule names, comma-separated; blank for all." error={errors.policies}>
            <input {...input("policies", true)} className="input font-mono" value={v.policies} onChange={(e) => set("policies", e.currentTarget.value)} />
          </Field>
        </div>
        <fieldset aria-describedby={errors.types ? "ch-types-error" : undefined}>
          <legend className="label text-xs">Finding types (none checked: all)</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {FINDING_TYPE_OPTIONS.map((t) => (
              <label key={t} className="flex items-center gap-2">
                <input type="checkbox" name="types" value={t} checked={v.types.includes(t)} onChange={(e) => set("types", e.currentTarget.checked ? [...v.types, t] : v.types.filter((x) => x !== t))} />
                {t}
              </label>
            ))}
          </div>
          {errors.types ? (
            <p id="ch-types-error" className="mt-1 text-xs text-danger">
              {errors.types}
            </p>
          ) : null}
        </fieldset>
      </fieldset>

      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save changes" : "Add channel"}
        </button>
        {editing ? (
          <Link href="/settings/notifications" className="btn">
            Done
          </Link>
        ) : null}
      </div>
    </form>
  );
}
