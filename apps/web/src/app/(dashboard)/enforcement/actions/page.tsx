import { hasRole, isAppError, listEnforcementPoints, listPolicies, listResponseActions, type OrgContext } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { ActionFiltersForm, ActionsTable } from "../../../../components/enforcement/actions-table.tsx";
import { EnforcementTabs } from "../../../../components/enforcement/enforcement-tabs.tsx";
import { actionFiltersToSearch, actionQuery, hasActionFilters, parseActionFilters, toActionRow } from "../../../../components/enforcement/response-actions.ts";
import { db } from "../../../../server/db.ts";
import { logger } from "../../../../server/logger.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { CancelActionButton } from "./cancel-action-button.tsx";

export const metadata: Metadata = { title: "Response actions" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Suggestions for the filter inputs; the page works without them. */
async function suggestions(ctx: OrgContext): Promise<{ clusters: string[]; policies: string[] }> {
  const [points, policies] = await Promise.all([
    listEnforcementPoints(db(), ctx).catch((err: unknown) => {
      logger().warn({ err }, "actions page: could not list enforcement points");
      return [];
    }),
    listPolicies(db(), ctx).catch((err: unknown) => {
      logger().warn({ err }, "actions page: could not list policies");
      return { policies: [] };
    }),
  ]);
  const clusters = [...new Set(points.flatMap((p) => (p.cluster ? [p.cluster.name] : [])))].sort();
  return { clusters, policies: policies.policies.map((p) => p.key).sort() };
}

export default async function ResponseActionsPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx, current } = await requirePage();
  const { filters, cursor } = parseActionFilters(await searchParams);
  let page: Awaited<ReturnType<typeof listResponseActions>> | null = null;
  let problem: string | null = null;
  try {
    page = await listResponseActions(db(), ctx, actionQuery(filters, cursor));
  } catch (err) {
    // A stale cursor is the reader's URL, not a server fault.
    if (!isAppError(err) || err.status >= 500) throw err;
    problem = err.fields?.some((f) => f.path === "cursor") ? "This page of results no longer exists." : err.message;
  }
  const { clusters, policies } = await suggestions(ctx);
  const rows = (page?.actions ?? []).map(toActionRow);
  const nextCursor = page?.nextCursor ?? null;
  const canCancel = hasRole(current.role, "ADMIN");

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div className="space-y-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Response actions
          </h1>
          <p className="text-sm text-muted">
            Pods deleted and workloads scaled to zero at the request of RUNTIME policies with a response, where their enforcement is ENFORCE. The enforcement point of the
            cluster claims each action and acts only when configured to (<code className="font-mono">BULWARK_RESPONSE_ACTIONS=execute</code>); otherwise it reports it
            as skipped. Every request, result and cancellation is in the audit log.
          </p>
        </div>
        <EnforcementTabs current="/enforcement/actions" />
      </div>

      <ActionFiltersForm filters={filters} clusters={clusters} policies={policies} />

      {problem ? (
        <div className="card" role="alert" data-testid="actions-problem">
          <p className="text-sm text-danger">{problem}</p>
          <Link href={`/enforcement/actions${actionFiltersToSearch(filters)}`} className="mt-2 inline-block text-sm text-accent underline">
            Show the newest actions
          </Link>
        </div>
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Results</h2>
          {rows.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="actions-empty">
              {hasActionFilters(filters)
                ? "No actions match these filters."
                : "No response actions yet. Give a policy with the RUNTIME stage a runtime response and set its enforcement to ENFORCE; violations then appear here."}
            </p>
          ) : (
            <ActionsTable
              rows={rows}
              {...(canCancel ? { cancel: (r) => <CancelActionButton id={r.id} label={r.actionLabel} target={r.target} claimed={r.status === "CLAIMED"} /> } : {})}
            />
          )}
          <nav aria-label="Pages" className="flex items-center gap-3 p-3 text-sm">
            {cursor ? (
              <Link href={`/enforcement/actions${actionFiltersToSearch(filters)}`} className="btn">
                Newest
              </Link>
            ) : null}
            {nextCursor ? (
              <Link href={`/enforcement/actions${actionFiltersToSearch(filters, nextCursor)}`} className="btn" rel="next" data-testid="actions-older">
                Older
              </Link>
            ) : (
              <span className="text-muted">{rows.length > 0 ? "No older actions." : null}</span>
            )}
          </nav>
        </div>
      )}
    </section>
  );
}
