"use client";

import { ConfirmActionButton } from "../../../components/confirm-action-button.tsx";
import { revokeTokenAction } from "./actions.ts";

export function RevokeButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmActionButton
      label="Revoke"
      pendingLabel="Revoking…"
      question={() => `Revoke the token "${name}"? Connectors using it stop working at once.`}
      action={() => revokeTokenAction(id)}
    />
  );
}
