import { getRuntimeFinding, hasRole, isAppError, listRuntimeEvents, suppressionOptions } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { EventsTable } from "../../../../components/runtime/events-table.tsx";
import { EventSpread, RuntimeException, RuntimeFacts, RuntimeWhere } from "../../../../components/runtime/runtime-detail.tsx";
import { RuntimeHeader } from "../../../../components/runtime/runtime-tabs.tsx";
import { ResolveForm } from "../../../../components/runtime/resolve-form.tsx";
import { SuppressForm } from "../../../../components/runtime/suppress-form.tsx";
import { formatDateTime } from "../../../../components/format.ts";
import { SeverityBadge } from "../../../../components/policies/badges.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { orNotFound } from "../../exceptions/data.ts";

export const metadata: Metadata = { title: "Runtime finding" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RuntimeFindingPage({ params, searchParams }: Props) {
  const { ctx, current } = await requirePage();
  const id = (await params).id;
  const sp = await searchParams;
  const cursor = typeof sp.events === "string" && sp.events !== "" ? sp.events : undefined;
  const f = await orNotFound(getRuntimeFinding(db(), ctx, id));
  // A stale "older events" link shows the newest events rather than an error page.
  const events = await listRuntimeEvents(db(), ctx, f.id, { cursor }).catch((err: unknown) => {
    if (cursor && isAppError(err) && err.code === "VALIDATION_FAILED") return listRuntimeEvents(db(), ctx, f.id);
    throw err;
  });
  // Suppressing and resolving act on open findings only (a suppressed one shows its exception instead).
  const canTriage = hasRole(current.role, "ANALYST") && f.status === "OPEN";

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <RuntimeHeader title={f.title} summary={`Runtime finding · last seen ${formatDateTime(f.lastSeen)}`} current="/runtime">
        <SeverityBadge severity={f.severity} />
      </RuntimeHeader>
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runtime" className="text-accent underline">
          Runtime
        </Link>{" "}
        <span aria-hidden="true">/</span> <span className="font-mono">{f.rule}</span>
        <span className="text-muted"> · </span>
        <Link href={`/findings/${f.id}`} className="text-accent underline">
          History and triage in the findings explorer
        </Link>
      </nav>

      <RuntimeException f={f} />

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card space-y-3" aria-labelledby="detection-title">
          <h2 id="detection-title" className="text-sm font-semibold">
            Detection
          </h2>
          <RuntimeFacts f={f} />
          {f.description ? <p className="font-mono text-xs break-words whitespace-pre-wrap text-muted">{f.description}</p> : null}
        </section>
        <section className="card space-y-3" aria-labelledby="where-title">
          <h2 id="where-title" className="text-sm font-semibold">
            Where
          </h2>
          <RuntimeWhere f={f} />
          <EventSpread f={f} />
        </section>
      </div>

      <section className="card space-y-3" aria-labelledby="events-title" id="events">
        <h2 id="events-title" className="text-sm font-semibold">
          Raw events <span className="font-normal text-muted">({f.eventCount} stored, newest first)</span>
        </h2>
        <EventsTable events={events.items} findingId={f.id} nextCursor={events.nextCursor} paged={!!cursor} />
      </section>

      {canTriage ? (
        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          <section className="card space-y-3" aria-labelledby="suppress-title">
            <h2 id="suppress-title" className="text-sm font-semibold">
              Suppress this rule
            </h2>
            <SuppressForm findingId={f.id} options={suppressionOptions(f)} isAdmin={hasRole(current.role, "ADMIN")} />
          </section>
          <section className="card space-y-3" aria-labelledby="resolve-title">
            <h2 id="resolve-title" className="text-sm font-semibold">
              Resolve
            </h2>
            <ResolveForm findingId={f.id} />
          </section>
        </div>
      ) : null}
    </article>
  );
}
