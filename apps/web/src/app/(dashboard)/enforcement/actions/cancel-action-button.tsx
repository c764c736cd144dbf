"use client";

import { ConfirmActionButton } from "../../../../components/confirm-action-button.tsx";
import { cancelResponseActionAction } from "./actions.ts";

export function CancelActionButton({ id, label, target, claimed }: { id: string; label: string; target: string; claimed: boolean }) {
  return (
    <ConfirmActionButton
      label="Cancel"
      pendingLabel="Cancelling…"
      ariaLabel={`Cancel ${label.toLowerCase()} for ${target}`}
      question={() =>
        claimed
          ? `Cancel "${label}" for ${target}? An enforcement point already claimed it and may be acting; if it reports a result, that is still recorded.`
          : `Cancel "${label}" for ${target}? No enforcement point will receive it.`
      }
      action={() => cancelResponseActionAction(id)}
    />
  );
}
