"use client";

import { errorsAt } from "./describe.ts";
import { FieldErrors, type EditorError } from "./field-errors.tsx";
import type { ResponseActionValue } from "./form-model.ts";

// The policy's runtime response: what the enforcement point of a cluster does to a running workload
// that fails the policy, or to a pod where one of the listed Falco rules fires. It only ever runs
// where the policy's enforcement is ENFORCE (per-cluster overrides included), so rolling a policy out
// AUDIT → WARN → ENFORCE also rolls out its response.

const ACTION_HELP: Record<ResponseActionValue, string> = {
  DELETE_POD: "Deletes the pod a listed Falco rule fired in; for a failing bare Pod, deletes that pod. Controllers recreate their pods.",
  SCALE_TO_ZERO: "Scales the failing Deployment, StatefulSet or ReplicaSet (or the one a listed Falco rule fired in) to zero replicas.",
};

export function ResponseEditor({
  action,
  rules,
  onAction,
  onRules,
  acts,
  errors,
}: {
  action: ResponseActionValue | "";
  rules: string;
  onAction: (a: ResponseActionValue | "") => void;
  onRules: (r: string) => void;
  /** Whether the policy is ENFORCE anywhere (its mode or a cluster override). */
  acts: boolean;
  errors: readonly EditorError[];
}) {
  const mine = errorsAt(errors, "response");
  return (
    <div className="space-y-3" data-testid="response-editor">
      <div>
        <label htmlFor="response-action" className="label">
          Action
        </label>
        <select id="response-action" className="input" value={action} onChange={(e) => onAction(e.currentTarget.value as ResponseActionValue | "")} data-testid="response-action">
          <option value="">None (report only)</option>
          <option value="DELETE_POD">Delete pod</option>
          <option value="SCALE_TO_ZERO">Scale to zero</option>
        </select>
        {action !== "" ? <p className="mt-1 text-xs text-muted">{ACTION_HELP[action]}</p> : null}
      </div>
      {action !== "" ? (
        <div>
          <label htmlFor="response-rules" className="label">
            Falco rules <span className="font-normal text-muted">(optional, one per line, exactly as Falco names them)</span>
          </label>
          <textarea
            id="response-rules"
            className="input min-h-20 font-mono text-xs"
            rows={4}
            value={rules}
            placeholder="Terminal shell in container"
            onChange={(e) => onRules(e.currentTarget.value)}
            aria-invalid={mine.length > 0 || undefined}
            data-testid="response-rules"
          />
          <p className="mt-1 text-xs text-muted">Without rules, only workloads failing this policy in posture evaluation trigger the action.</p>
        </div>
      ) : null}
      {action !== "" && !acts ? (
        <p className="text-xs text-warn" role="note" data-testid="response-inactive">
          Nothing happens yet: responses run only where the policy&apos;s enforcement is ENFORCE.
        </p>
      ) : null}
      <FieldErrors errors={mine} base="response" />
    </div>
  );
}
