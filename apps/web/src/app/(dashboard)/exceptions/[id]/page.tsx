import { getException, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { ExceptionFlags, ExceptionKind, ExceptionStateBadge } from "../../../../components/exceptions/badges.tsx";
import { DecisionPanel } from "../../../../components/exceptions/decision-panel.tsx";
import { ExceptionHistory } from "../../../../components/exceptions/history.tsx";
import { FLAG_HELP, scopeEntries } from "../../../../components/exceptions/labels.ts";
import { formatDateTime, formatNumber } from "../../../../components/format.ts";
import { advisoryHref } from "../../../../components/vulnerabilities/advisory-badges.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { exceptionHistory, orNotFound } from "../data.ts";

export const metadata: Metadata = { title: "Exception" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function ScopeValue({ field, value }: { field: string; value: string }) {
  if (field === "advisory") {
    return (
      <Link href={advisoryHref(value)} className="font-mono text-xs break-all text-accent hover:underline">
        {value}
      </Link>
    );
  }
  if (field === "policyId") {
    return (
      <Link href={`/policies/${encodeURIComponent(value)}`} className="font-mono text-xs break-all text-accent hover:underline">
        {value}
      </Link>
    );
  }
  return <span className="font-mono text-xs break-all">{value}</span>;
}

export default async function ExceptionPage({ params, searchParams }: Props) {
  const { ctx, current, user } = await requirePage();
  const id = (await params).id;
  const justRequested = (await searchParams).requested === "1";
  const [e, history] = await Promise.all([orNotFound(getException(db(), ctx, id)), exceptionHistory(ctx, id)]);
  const isAdmin = hasRole(current.role, "ADMIN");
  const open = e.status === "REQUESTED";
  const options = {
    canApprove: isAdmin && open && e.state === "requested",
    canReject: isAdmin && open,
    canRevoke: isAdmin && e.status === "APPROVED",
    canWithdraw: open && e.requestedBy?.id === user.id,
  };

  return (
    <article aria-labelledby="page-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link href="/exceptions" className="hover:underline">
          Exceptions
        </Link>{" "}
        / <span className="font-mono">{e.id}</span>
      </nav>

      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="page-title" className="text-2xl font-semibold">
            Exception
          </h1>
          <ExceptionStateBadge state={e.state} testId="exception-state" />
          <ExceptionKind kind={e.kind} />
        </div>
        {justRequested && open ? (
          <p role="status" className="text-sm text-ok" data-testid="exception-requested">
            Request submitted. An admin must approve it before it suppresses anything.
          </p>
        ) : null}
      </header>

      {e.flags.length ? (
        <div className="card border-[color-mix(in_srgb,var(--warn)_45%,transparent)]" role="note" data-testid="exception-flags">
          <ExceptionFlags flags={e.flags} />
          <ul className="mt-2 space-y-1 text-sm">
            {e.flags.map((f) => (
              <li key={f}>{FLAG_HELP[f] ?? f}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="scope-title" className="card lg:col-span-2">
          <h2 id="scope-title" className="font-semibold">
            Scope
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="exception-scope">
            {scopeEntries(e.scope).map(([field, label, value]) => (
              <div key={field} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd>
                  <ScopeValue field={field} value={value} />
                </dd>
              </div>
            ))}
          </dl>
          {e.notes.length ? (
            <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-muted" aria-label="About this scope">
              {e.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <h2 className="mt-4 font-semibold">Reason</h2>
          <p className="mt-1 text-sm whitespace-pre-wrap" data-testid="exception-reason">
            {e.reason}
          </p>
          {e.closeNote ? (
            <>
              <h2 className="mt-4 font-semibold">{e.status === "REJECTED" ? "Rejection note" : "Revocation note"}</h2>
              <p className="mt-1 text-sm whitespace-pre-wrap">{e.closeNote}</p>
            </>
          ) : null}
        </section>

        <section aria-labelledby="facts-title" className="card">
          <h2 id="facts-title" className="font-semibold">
            Status
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Matches now</dt>
            <dd className="tabular-nums" data-testid="exception-match-count">
              {formatNumber(e.matchCount)} {e.matchCount === 1 ? "finding" : "findings"}
            </dd>
            <dt className="text-muted">Suppressed</dt>
            <dd className="tabular-nums" data-testid="exception-suppressed">
              {formatNumber(e.suppressedCount)}
            </dd>
            <dt className="text-muted">Requested</dt>
            <dd>
              {e.requestedBy?.email ?? "—"}
              <span className="block text-xs text-muted">{formatDateTime(e.createdAt)}</span>
            </dd>
            {e.approvedBy ? (
              <>
                <dt className="text-muted">Approved</dt>
                <dd>
                  {e.approvedBy.email}
                  <span className="block text-xs text-muted">{formatDateTime(e.approvedAt)}</span>
                </dd>
              </>
            ) : null}
            {e.closedBy ? (
              <>
                <dt className="text-muted">{e.status === "REJECTED" ? "Rejected" : "Closed"}</dt>
                <dd>
                  {e.closedBy.email}
                  <span className="block text-xs text-muted">{formatDateTime(e.closedAt)}</span>
                </dd>
              </>
            ) : null}
            <dt className="text-muted">Expires</dt>
            <dd data-testid="exception-expires">{e.expiresAt ? formatDateTime(e.expiresAt) : "Never"}</dd>
          </dl>
        </section>
      </div>

      <DecisionPanel id={e.id} options={options} matchCount={e.matchCount} flags={e.flags} />
      {!isAdmin && open ? (
        <p className="text-xs text-muted" data-testid="decision-readonly">
          Only admins and owners can approve or reject requests.
        </p>
      ) : null}

      <section aria-labelledby="history-title" className="card">
        <h2 id="history-title" className="font-semibold">
          History
        </h2>
        <div className="mt-3">
          <ExceptionHistory entries={history} />
        </div>
      </section>
    </article>
  );
}
