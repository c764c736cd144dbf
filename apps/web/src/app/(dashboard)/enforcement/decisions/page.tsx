import { isAppError, listAdmissionDecisions, listEnforcementPoints, listPolicies, type OrgContext } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { DecisionFiltersForm } from "../../../../components/enforcement/decision-filters-form.tsx";
import { decisionFiltersToSearch, decisionQuery, hasDecisionFilters, parseDecisionFilters, toDecisionRow } from "../../../../components/enforcement/decisions.ts";
import { DecisionsTable } from "../../../../components/enforcement/decisions-table.tsx";
import { EnforcementTabs } from "../../../../components/enforcement/enforcement-tabs.tsx";
import { db } from "../../../../server/db.ts";
import { logger } from "../../../../server/logger.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "Admission decisions" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Suggestions for the filter inputs; the page works without them. */
async function suggestions(ctx: OrgContext): Promise<{ clusters: string[]; policies: string[] }> {
  const [points, policies] = await Promise.all([
    listEnforcementPoints(db(), ctx).catch((err: unknown) => {
      logger().warn({ err }, "decisions page: could not list enforcement points");
      return [];
    }),
    listPolicies(db(), ctx).catch((err: unknown) => {
      logger().warn({ err }, "decisions page: could not list policies");
      return { policies: [] };
    }),
  ]);
  const clusters = [...new Set(points.flatMap((p) => (p.cluster ? [p.cluster.name] : [])))].sort();
  return { clusters, policies: policies.policies.map((p) => p.key).sort() };
}

export default async function DecisionsPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx } = await requirePage();
  const { filters, cursor } = parseDecisionFilters(await searchParams);
  const query = decisionQuery(filters, cursor);

  let page: Awaited<ReturnType<typeof listAdmissionDecisions>> | null = null;
  let problem: string | null = null;
  try {
    page = await listAdmissionDecisions(db(), ctx, query);
  } catch (err) {
    // A stale cursor (or a value the API refuses) is the reader's URL, not a server fault.
    if (!isAppError(err) || err.status >= 500) throw err;
    problem = err.fields?.some((f) => f.path === "cursor") ? "This page of results no longer exists." : err.message;
  }
  const { clusters, policies } = await suggestions(ctx);
  const rows = (page?.decisions ?? []).map(toDecisionRow);
  const nextCursor = page?.nextCursor ?? null;
  const filtered = hasDecisionFilters(filters);

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div className="space-y-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Admission decisions
          </h1>
          <p className="text-sm text-muted">
            Every admission request enforcement points and the central endpoint decided, newest first. Denied and warned requests also become policy violation
            findings.
          </p>
        </div>
        <EnforcementTabs current="/enforcement/decisions" />
      </div>

      <DecisionFiltersForm filters={filters} clusters={clusters} policies={policies} />

      {problem ? (
        <div className="card" role="alert" data-testid="decisions-problem">
          <p className="text-sm text-danger">{problem}</p>
          <Link href={`/enforcement/decisions${decisionFiltersToSearch(filters)}`} className="mt-2 inline-block text-sm text-accent underline">
            Show the newest decisions
          </Link>
        </div>
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="decisions-empty">
              {filtered
                  ? "No decisions match these filters."
                  : "No admission decisions yet. They appear here once an enforcement point reports or a cluster calls the central admission endpoint."}
            </p>
          ) : (
            <DecisionsTable rows={rows} />
          )}
          <nav aria-label="Pages" className="flex items-center gap-3 p-3 text-sm">
            {cursor ? (
              <Link href={`/enforcement/decisions${decisionFiltersToSearch(filters)}`} className="btn">
                Newest
              </Link>
            ) : null}
            {nextCursor ? (
              <Link href={`/enforcement/decisions${decisionFiltersToSearch(filters, nextCursor)}`} className="btn" rel="next" data-testid="decisions-older">
                Older
              </Link>
            ) : (
              <span className="text-muted">{rows.length > 0 ? "No older decisions." : null}</span>
            )}
          </nav>
        </div>
      )}
    </section>
  );
}
