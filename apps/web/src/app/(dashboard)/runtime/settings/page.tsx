import { getRuntimeSettings, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { RuntimeHeader } from "../../../../components/runtime/runtime-tabs.tsx";
import { RuntimeSettingsForm } from "../../../../components/runtime/settings-form.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Runtime settings" };

export default async function RuntimeSettingsPage() {
  const { ctx, current } = await requirePage();
  const values = await getRuntimeSettings(db(), ctx);
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <RuntimeHeader title="Runtime settings" summary="How process baselines learn and how often a runtime finding may alert." current="/runtime/settings" />
      <div className="card space-y-3">
        <RuntimeSettingsForm values={{ baselineLearningMinutes: values.baselineLearningMinutes, alertDedupMinutes: values.alertDedupMinutes }} canEdit={hasRole(current.role, "ADMIN")} />
        <p className="text-xs text-muted">
          Where alerts go is set per channel on{" "}
          <Link href="/settings/notifications" className="text-accent underline">
            Notifications
          </Link>
          .
        </p>
      </div>
    </section>
  );
}
