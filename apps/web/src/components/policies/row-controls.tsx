"use client";

import { ENFORCEMENT_MODES } from "@bulwark/policy";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setPolicyEnabledAction, setPolicyEnforcementAction } from "../../app/(dashboard)/policies/actions.ts";
import { ENFORCEMENT_HELP } from "./describe.ts";

// Inline controls in the policy list (ADMIN+). The value changes at once and goes back if the server
// refuses; a concurrent edit ("changed by someone else") is shown with a way to reload.

function ActionError({ error, onReload }: { error: string | null; onReload: () => void }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-1 max-w-56 text-xs text-danger">
      {error}{" "}
      <button type="button" className="underline" onClick={onReload}>
        Reload
      </button>
    </p>
  );
}

export function EnforcementSelect({ policyKey, name, value }: { policyKey: string; name: string; value: string }) {
  const router = useRouter();
  const [mode, setMode] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <label htmlFor={`enforcement-${policyKey}`} className="sr-only">
        Enforcement for {name}
      </label>
      <select
        id={`enforcement-${policyKey}`}
        data-testid={`enforcement-${policyKey}`}
        className="input w-auto py-1 text-xs"
        value={mode}
        disabled={pending}
        aria-busy={pending || undefined}
        onChange={(e) => {
          const next = e.currentTarget.value;
          const before = mode;
          setMode(next);
          setError(null);
          start(async () => {
            const r = await setPolicyEnforcementAction(policyKey, next);
            if (!r.ok) {
              setMode(before);
              setError(r.error);
            } else router.refresh();
          });
        }}
      >
        {ENFORCEMENT_MODES.map((m) => (
          <option key={m} value={m} title={ENFORCEMENT_HELP[m]}>
            {m.charAt(0) + m.slice(1).toLowerCase()}
          </option>
        ))}
      </select>
      <ActionError error={error} onReload={() => router.refresh()} />
    </div>
  );
}

export function EnabledToggle({ policyKey, name, enabled }: { policyKey: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const [on, setOn] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={`${name} enabled`}
        data-testid={`enabled-${policyKey}`}
        disabled={pending}
        className="inline-flex items-center gap-2 rounded-full text-xs disabled:opacity-60"
        onClick={() => {
          const next = !on;
          setOn(next);
          setError(null);
          start(async () => {
            const r = await setPolicyEnabledAction(policyKey, next);
            if (!r.ok) {
              setOn(!next);
              setError(r.error);
            } else router.refresh();
          });
        }}
      >
        <span aria-hidden="true" className={`relative inline-block h-5 w-9 rounded-full border border-border transition-colors ${on ? "bg-accent" : "bg-surface-2"}`}>
          <span className={`absolute top-0.5 h-3.5 w-3.5 rounded-full bg-surface shadow transition-all ${on ? "left-[1.15rem]" : "left-0.5"}`} />
        </span>
        <span>{on ? "On" : "Off"}</span>
      </button>
      <ActionError error={error} onReload={() => router.refresh()} />
    </div>
  );
}
