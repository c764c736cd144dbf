"use client";

import { ConfirmActionButton } from "../../../../components/confirm-action-button.tsx";
import { removeDeployerAction } from "./actions.ts";

export function RemoveDeployerButton({ id, subject, namespace, last }: { id: string; subject: string; namespace: string; last: boolean }) {
  const where = namespace === "*" ? "every namespace" : `namespace "${namespace}"`;
  return (
    <ConfirmActionButton
      label="Remove"
      pendingLabel="Removing…"
      ariaLabel={`Remove ${subject} from ${where}`}
      question={() =>
        last
          ? `Remove ${subject} from ${where}? This is the last entry: the unauthorized-deployer policy turns off.`
          : `Remove ${subject} from ${where}? The unauthorized-deployer policy will flag its deployments there.`
      }
      action={() => removeDeployerAction(id)}
    />
  );
}
