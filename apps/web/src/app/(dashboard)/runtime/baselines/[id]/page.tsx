import { getProcessBaseline, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { BaselineControls } from "../../../../../components/runtime/baseline-controls.tsx";
import { BaselineFacts, ProcessList } from "../../../../../components/runtime/baseline-detail.tsx";
import { RuntimeHeader } from "../../../../../components/runtime/runtime-tabs.tsx";
import { db } from "../../../../../server/db.ts";
import { requirePage } from "../../../../../server/org-context.ts";
import { orNotFound } from "../../../exceptions/data.ts";

export const metadata: Metadata = { title: "Process baseline" };

export default async function BaselinePage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, current } = await requirePage();
  const b = await orNotFound(getProcessBaseline(db(), ctx, (await params).id));
  const label = `${b.workload.kind}/${b.workload.name}${b.container ? ` (${b.container})` : ""}`;

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <RuntimeHeader title={`Baseline of ${label}`} summary="The processes this workload container may execute." current="/runtime/baselines" />
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runtime/baselines" className="text-accent underline">
          Process baselines
        </Link>{" "}
        <span aria-hidden="true">/</span> <span>{label}</span>
      </nav>
      <section className="card space-y-3" aria-labelledby="baseline-title">
        <h2 id="baseline-title" className="text-sm font-semibold">
          Baseline
        </h2>
        <BaselineFacts b={b} now={new Date()} />
      </section>
      <section className="card space-y-3" aria-labelledby="processes-title">
        <h2 id="processes-title" className="text-sm font-semibold">
          Allowed processes <span className="font-normal text-muted">({b.processes.length})</span>
        </h2>
        <ProcessList processes={b.processes} />
      </section>
      {hasRole(current.role, "ADMIN") ? (
        <section className="card space-y-3" aria-labelledby="manage-title">
          <h2 id="manage-title" className="text-sm font-semibold">
            Manage
          </h2>
          <BaselineControls id={b.id} status={b.status} label={label} />
        </section>
      ) : null}
    </article>
  );
}
