"use client";

import { useState, useTransition } from "react";
import { removeDeployerAction } from "./actions.ts";

export function RemoveDeployerButton({ id, subject, namespace, last }: { id: string; subject: string; namespace: string; last: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const where = namespace === "*" ? "every namespace" : `namespace "${namespace}"`;
  return (
    <div>
      <button
        type="button"
        className="btn btn-danger py-1 text-xs"
        disabled={pending}
        aria-label={`Remove ${subject} from ${where}`}
        onClick={() => {
          const question = last
            ? `Remove ${subject} from ${where}? This is the last entry: the unauthorized-deployer policy turns off.`
            : `Remove ${subject} from ${where}? The unauthorized-deployer policy will flag its deployments there.`;
          if (!window.confirm(question)) return;
          setError(null);
          start(async () => {
            const r = await removeDeployerAction(id);
            if (!r.ok) setError(r.error);
          });
        }}
      >
        {pending ? "Removing…" : "Remove"}
      </button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
