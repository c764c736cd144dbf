import { getFindingDetail, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { ExceptionKind, ExceptionStateBadge } from "../../../../components/exceptions/badges.tsx";
import { AffectedResources, Evidence, FindingTimeline, KeyFacts } from "../../../../components/findings/finding-detail.tsx";
import { noticeOf } from "../../../../components/findings/notice.ts";
import { TriageForm } from "../../../../components/findings/triage-form.tsx";
import { formatDateTime } from "../../../../components/format.ts";
import { SeverityBadge } from "../../../../components/policies/badges.tsx";
import { advisoryHref } from "../../../../components/vulnerabilities/advisory-badges.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { orNotFound } from "../../exceptions/data.ts";
import { triageAction } from "../actions.ts";

export const metadata: Metadata = { title: "Finding" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function FindingPage({ params, searchParams }: Props) {
  const { ctx, current } = await requirePage();
  const id = (await params).id;
  const f = await orNotFound(getFindingDetail(db(), ctx, id));
  const notice = noticeOf(await searchParams);
  const ruleHref = f.type === "VULNERABILITY" ? advisoryHref(f.ruleId) : f.type === "POLICY_VIOLATION" ? `/policies/${encodeURIComponent(f.ruleId)}` : null;

  return (
    <article aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/findings" className="text-accent underline">
          Findings
        </Link>{" "}
        <span aria-hidden="true">/</span> <span className="font-mono">{f.ruleId}</span>
      </nav>
      <header className="space-y-1">
        <div className="flex items-center gap-2">
          <SeverityBadge severity={f.severity} />
          <h1 id="page-title" className="text-2xl font-semibold">
            {f.title}
          </h1>
        </div>
        <p className="text-sm text-muted">
          First seen {formatDateTime(f.firstSeen)} · last seen {formatDateTime(f.lastSeen)}
          {f.resolvedAt ? ` · resolved ${formatDateTime(f.resolvedAt)}` : ""}
        </p>
      </header>

      {notice ? (
        <p role={notice.tone === "error" ? "alert" : "status"} className={`card text-sm ${notice.tone === "error" ? "text-danger" : "text-ok"}`} data-testid="findings-notice">
          {notice.text}
        </p>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card space-y-3" aria-labelledby="facts-title">
          <h2 id="facts-title" className="text-sm font-semibold">
            Key facts
          </h2>
          <KeyFacts f={f} ruleHref={ruleHref} />
          {f.description ? <p className="text-sm whitespace-pre-wrap">{f.description}</p> : null}
        </section>
        <section className="card space-y-3" aria-labelledby="resources-title">
          <h2 id="resources-title" className="text-sm font-semibold">
            Affected resources
          </h2>
          <AffectedResources r={f} />
        </section>
        <section className="card space-y-3" aria-labelledby="remediation-title">
          <h2 id="remediation-title" className="text-sm font-semibold">
            Remediation
          </h2>
          {f.remediation ? (
            <p className="text-sm whitespace-pre-wrap" data-testid="finding-remediation">
              {f.remediation}
            </p>
          ) : f.fixedVersion && f.packageName ? (
            <p className="text-sm" data-testid="finding-remediation">
              Upgrade <span className="font-mono">{f.packageName}</span> to <span className="font-mono">{f.fixedVersion}</span> or later and rebuild the image.
            </p>
          ) : (
            <p className="text-sm text-muted">No remediation advice was reported.</p>
          )}
          {f.exception ? (
            <div className="text-sm" data-testid="finding-exception">
              <h3 className="text-xs font-semibold text-muted uppercase">Exception</h3>
              <p className="flex flex-wrap items-center gap-2">
                <Link href={`/exceptions/${f.exception.id}`} className="text-accent underline">
                  View exception
                </Link>
                <ExceptionKind kind={f.exception.kind} />
                <ExceptionStateBadge state={f.exception.state} />
                {f.exception.expiresAt ? <span className="text-xs text-muted">expires {formatDateTime(f.exception.expiresAt)}</span> : null}
              </p>
            </div>
          ) : null}
        </section>
        <section className="card space-y-3" aria-labelledby="history-title">
          <h2 id="history-title" className="text-sm font-semibold">
            History
          </h2>
          <FindingTimeline events={f.history} />
        </section>
      </div>

      <section className="card space-y-3" aria-labelledby="evidence-title">
        <h2 id="evidence-title" className="text-sm font-semibold">
          Evidence
        </h2>
        <Evidence evidence={f.evidence} />
      </section>

      {hasRole(current.role, "ANALYST") ? <TriageForm action={triageAction} back={`/findings/${f.id}`} ids={[f.id]} isAdmin={hasRole(current.role, "ADMIN")} title="Triage this finding" /> : null}
    </article>
  );
}
