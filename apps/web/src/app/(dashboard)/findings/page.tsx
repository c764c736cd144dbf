import { type FindingFilters, findingsQueryString, hasActiveFilters, hasRole, isAppError, listFindings, listSavedViews, type OrgContext, parseFindingFilters } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { FilterBar } from "../../../components/findings/filter-bar.tsx";
import { FindingsTable } from "../../../components/findings/findings-table.tsx";
import { FindingsEmpty, FindingsTotal } from "../../../components/findings/findings-summary.tsx";
import { exportHref, findingsHref } from "../../../components/findings/links.ts";
import { noticeOf } from "../../../components/findings/notice.ts";
import { SavedViewsMenu } from "../../../components/findings/saved-views-menu.tsx";
import { TriageForm } from "../../../components/findings/triage-form.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";
import { deleteViewAction, saveViewAction, triageAction } from "./actions.ts";

export const metadata: Metadata = { title: "Findings" };

type SearchParams = Record<string, string | string[] | undefined>;

/** A stale cursor (another sort, a hand-edited link) shows the first page instead. */
async function page(ctx: OrgContext, filters: FindingFilters) {
  try {
    return await listFindings(db(), ctx, filters);
  } catch (err) {
    if (filters.cursor && isAppError(err) && err.code === "VALIDATION_FAILED") return listFindings(db(), ctx, { ...filters, cursor: undefined });
    throw err;
  }
}

function parse(sp: SearchParams): { filters: FindingFilters; errors: { path: string; message: string }[] } {
  try {
    return { filters: parseFindingFilters(sp), errors: [] };
  } catch (err) {
    if (isAppError(err) && err.code === "VALIDATION_FAILED") return { filters: parseFindingFilters(""), errors: err.fields ?? [] };
    throw err;
  }
}

export default async function FindingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, current } = await requirePage();
  const sp = await searchParams;
  const { filters, errors } = parse(sp);
  const canTriage = hasRole(current.role, "ANALYST");
  const [{ items, nextCursor, total }, views] = await Promise.all([page(ctx, filters), listSavedViews(db(), ctx, "findings")]);
  const filtered = hasActiveFilters(filters);
  // Only an empty default view asks whether the organization has any finding at all (one indexed row).
  const orgHasFindings = items.length > 0 || filtered || (await db().finding.findFirst({ where: { orgId: ctx.orgId }, select: { id: true } })) !== null;
  const query = findingsQueryString(filters);
  const here = findingsHref(filters, filters.cursor);
  const notice = noticeOf(sp);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Findings
          </h1>
          <p className="text-sm text-muted">
            Every problem Bulwark knows about, of every type: vulnerabilities, misconfigurations, secrets, malware, runtime detections and policy violations.
          </p>
        </div>
        <a href={exportHref(filters)} className="btn" data-testid="findings-export" download>
          Export CSV
        </a>
      </div>

      {notice ? (
        <p role={notice.tone === "error" ? "alert" : "status"} className={`card text-sm ${notice.tone === "error" ? "text-danger" : "text-ok"}`} data-testid="findings-notice">
          {notice.text}
        </p>
      ) : null}
      {errors.length ? (
        <div role="alert" className="card text-sm text-danger" data-testid="findings-filter-errors">
          <p className="font-medium">Some filters in the link are not valid, so all open findings are shown:</p>
          <ul className="mt-1 list-disc pl-5">
            {errors.map((e) => (
              <li key={`${e.path}-${e.message}`}>
                <span className="font-mono">{e.path}</span>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <FilterBar filters={filters} />
      <SavedViewsMenu views={views} query={query} saveAction={saveViewAction} deleteAction={deleteViewAction} canShare={canTriage} isAdmin={hasRole(current.role, "ADMIN")} />

      <FindingsTotal total={total} />
      <div className="card overflow-x-auto p-0">
        {items.length === 0 ? <FindingsEmpty filtered={filtered} orgHasFindings={orgHasFindings} /> : <FindingsTable rows={items} filters={filters} selectable={canTriage} />}
      </div>

      {filters.cursor || nextCursor ? (
        <nav aria-label="Finding pages" className="flex gap-2">
          {filters.cursor ? (
            <Link href={findingsHref(filters)} className="btn">
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={findingsHref(filters, nextCursor)} className="btn" data-testid="findings-next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}

      {canTriage && items.length > 0 ? <TriageForm action={triageAction} back={here} isAdmin={hasRole(current.role, "ADMIN")} /> : null}
    </section>
  );
}
