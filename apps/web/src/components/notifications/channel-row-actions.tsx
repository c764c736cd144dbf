"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "../../server/actions.ts";
import { ConfirmActionButton } from "../confirm-action-button.tsx";

// Per-channel controls: test-send (the outcome is shown in place), enable/disable, edit, delete.

export interface TestOutcome {
  deliveryId: string;
  status: "DELIVERED" | "DEAD";
  responseStatus: number | null;
  error: string | null;
}

export interface ChannelActionsProps {
  id: string;
  name: string;
  enabled: boolean;
  test: (id: string) => Promise<ActionResult<TestOutcome>>;
  setEnabled: (id: string, enabled: boolean) => Promise<ActionResult<{ id: string }>>;
  remove: (id: string) => Promise<ActionResult<{ id: string }>>;
}

export function testOutcomeText(o: TestOutcome): string {
  if (o.status === "DELIVERED") return `Delivered${o.responseStatus ? ` (${o.responseStatus})` : ""}.`;
  return `Failed: ${o.error ?? "unknown error"}${o.responseStatus ? ` (${o.responseStatus})` : ""}.`;
}

export function ChannelRowActions({ id, name, enabled, test, setEnabled, remove }: ChannelActionsProps) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [testing, startTest] = useTransition();
  const [toggling, startToggle] = useTransition();
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-start gap-2">
        <button
          type="button"
          className="btn py-1 text-xs"
          disabled={testing}
          aria-label={`Send test to ${name}`}
          onClick={() => {
            setOutcome(null);
            startTest(async () => {
              const r = await test(id);
              setOutcome(r.ok ? { ok: r.data.status === "DELIVERED", text: testOutcomeText(r.data) } : { ok: false, text: r.error });
              router.refresh();
            });
          }}
        >
          {testing ? "Sending…" : "Send test"}
        </button>
        <button
          type="button"
          className="btn py-1 text-xs"
          disabled={toggling}
          aria-label={`${enabled ? "Disable" : "Enable"} ${name}`}
          onClick={() =>
            startToggle(async () => {
              const r = await setEnabled(id, !enabled);
              if (!r.ok) setOutcome({ ok: false, text: r.error });
              router.refresh();
            })
          }
        >
          {enabled ? "Disable" : "Enable"}
        </button>
        <Link href={`/settings/notifications?edit=${encodeURIComponent(id)}`} className="btn py-1 text-xs" aria-label={`Edit ${name}`}>
          Edit
        </Link>
        <ConfirmActionButton
          label="Delete"
          pendingLabel="Deleting…"
          ariaLabel={`Delete ${name}`}
          question={() => `Delete the channel ${name}? Its delivery log is deleted with it and queued alerts for it are dropped.`}
          action={() => remove(id)}
        />
      </div>
      {outcome ? (
        <p role="status" className={`text-xs ${outcome.ok ? "text-ok" : "text-danger"}`} data-testid="test-outcome">
          {outcome.text}
        </p>
      ) : null}
    </div>
  );
}
