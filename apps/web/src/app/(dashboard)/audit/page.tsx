import { hasRole, listAuditLog } from "@bulwark/core";
import type { Metadata } from "next";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";
import { AuditTable, type AuditRow } from "./audit-table.tsx";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { ctx, current } = await requirePage();
  if (!hasRole(current.role, "ADMIN")) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" className="text-2xl font-semibold">
          Audit log
        </h1>
        <div className="card mt-6 max-w-xl" role="alert" data-testid="forbidden">
          <p className="text-sm font-semibold text-danger">403 · Not allowed</p>
          <p className="mt-2 text-sm">The audit log is visible to admins and owners. Your role in {current.name} is {current.role.toLowerCase()}.</p>
        </div>
      </section>
    );
  }
  const { entries, nextCursor } = await listAuditLog(db(), ctx, { limit: 50 });
  const rows: AuditRow[] = entries.map((e) => ({
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    actorType: e.actorType,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    metadata: e.metadata,
  }));
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Audit log
        </h1>
        <p className="text-sm text-muted">Every administrative change in {current.name}, newest first. Entries cannot be edited or deleted.</p>
      </div>
      <AuditTable initialRows={rows} initialCursor={nextCursor} />
    </section>
  );
}
