import { getAdvisory, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatNumber } from "../../../../../components/format.ts";
import { SeverityBadge } from "../../../../../components/policies/badges.tsx";
import { AdvisoryFlags, advisoryHref } from "../../../../../components/vulnerabilities/advisory-badges.tsx";
import { AffectedPackages, type AffectedPackageRow } from "../../../../../components/vulnerabilities/affected-packages.tsx";
import { affectedFromJson, describeRanges, referenceLinks } from "../../../../../components/vulnerabilities/ranges.ts";
import { db } from "../../../../../server/db.ts";
import { requirePage } from "../../../../../server/org-context.ts";
import { orNotFound } from "../../data.ts";

type Params = Promise<{ id: string }>;

/** Route params arrive encoded or not depending on the character; decoding twice must not throw. */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeId((await params).id).slice(0, 100) };
}

export default async function AdvisoryPage({ params }: { params: Params }) {
  const { ctx, current } = await requirePage();
  const id = decodeId((await params).id);
  const a = await orNotFound(getAdvisory(db(), ctx, id.slice(0, 200)));
  const packages: AffectedPackageRow[] =
    a.packages.length > 0
      ? a.packages.map((p) => ({ ecosystem: p.ecosystem, name: p.name, ranges: describeRanges(p.ranges), versions: p.versions, fixedVersions: p.fixedVersions, skippedGitRanges: p.skippedGitRanges }))
      : affectedFromJson(a.affected).map((p) => ({ ...p, skippedGitRanges: 0 }));
  const references = referenceLinks(a.references);
  const findingsHref = `/findings?rule=${encodeURIComponent(a.externalId)}`;

  return (
    <article aria-labelledby="page-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link href="/vulnerabilities" className="hover:underline">
          Vulnerabilities
        </Link>{" "}
        /{" "}
        <Link href="/vulnerabilities/advisories" className="hover:underline">
          Advisories
        </Link>
      </nav>

      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="page-title" className="text-2xl font-semibold break-all">
            {a.externalId}
          </h1>
          {a.severity ? <SeverityBadge severity={a.severity} /> : <span className="text-sm text-muted">Unrated</span>}
          <AdvisoryFlags knownExploited={a.knownExploited} publicExploit={a.publicExploit} withdrawnAt={a.withdrawnAt} />
        </div>
        {a.summary ? <p className="text-lg">{a.summary}</p> : null}
        <p className="text-sm" data-testid="advisory-open-findings">
          {a.openFindings > 0 ? (
            <Link href={findingsHref} className="font-semibold text-accent underline">
              {formatNumber(a.openFindings)} open {a.openFindings === 1 ? "finding" : "findings"} in your organization
            </Link>
          ) : (
            <span className="text-muted">No open finding in your organization.</span>
          )}
          {a.openFindings > 0 && hasRole(current.role, "ANALYST") ? (
            <>
              {" · "}
              <Link href={`/exceptions/new?advisory=${encodeURIComponent(a.externalId)}`} className="text-accent underline" data-testid="advisory-request-exception">
                Request an exception
              </Link>
            </>
          ) : null}
        </p>
      </header>

      <div className="grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="facts-title" className="card lg:col-span-1">
          <h2 id="facts-title" className="font-semibold">
            Details
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Aliases</dt>
            <dd data-testid="advisory-aliases">
              {a.aliases.length ? (
                <ul>
                  {a.aliases.map((al) => (
                    <li key={al} className="font-mono text-xs">
                      {al}
                    </li>
                  ))}
                </ul>
              ) : (
                "—"
              )}
            </dd>
            {a.related.length ? (
              <>
                <dt className="text-muted">Related</dt>
                <dd>
                  <ul>
                    {a.related.map((r) => (
                      <li key={r}>
                        <Link href={advisoryHref(r)} className="font-mono text-xs text-accent hover:underline">
                          {r}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            <dt className="text-muted">CVSS</dt>
            <dd>
              {a.cvssScore !== null ? <span className="tabular-nums">{a.cvssScore.toFixed(1)}</span> : "—"}
              {a.cvssVector ? <code className="block text-xs break-all text-muted">{a.cvssVector}</code> : null}
            </dd>
            <dt className="text-muted">Exploited</dt>
            <dd data-testid="advisory-known-exploited">{a.knownExploited ? "Yes, in the wild" : "No evidence"}</dd>
            <dt className="text-muted">Public exploit</dt>
            <dd data-testid="advisory-public-exploit">{a.publicExploit ? "Yes" : "None referenced"}</dd>
            <dt className="text-muted">Source</dt>
            <dd>{a.source}</dd>
            <dt className="text-muted">Published</dt>
            <dd>{formatDateTime(a.publishedAt)}</dd>
            <dt className="text-muted">Modified</dt>
            <dd>{formatDateTime(a.modifiedAt)}</dd>
            {a.withdrawnAt ? (
              <>
                <dt className="text-muted">Withdrawn</dt>
                <dd>{formatDateTime(a.withdrawnAt)}</dd>
              </>
            ) : null}
          </dl>
        </section>

        <section aria-labelledby="affected-title" className="card overflow-x-auto p-0 lg:col-span-2">
          <h2 id="affected-title" className="px-4 pt-4 pb-2 font-semibold">
            Affected packages
          </h2>
          <AffectedPackages packages={packages} />
        </section>
      </div>

      {a.details ? (
        <section aria-labelledby="details-title" className="card">
          <h2 id="details-title" className="font-semibold">
            Description
          </h2>
          {/* Feed text is shown as text: never rendered as HTML or Markdown. */}
          <p className="mt-2 text-sm whitespace-pre-wrap">{a.details.slice(0, 20_000)}</p>
        </section>
      ) : null}

      <section aria-labelledby="refs-title" className="card">
        <h2 id="refs-title" className="font-semibold">
          References
        </h2>
        {references.length === 0 ? (
          <p className="mt-2 text-sm text-muted">No references.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="advisory-references">
            {references.map((r, i) => (
              <li key={`${r.url}-${i}`} className="flex gap-2">
                <span className="w-24 shrink-0 text-xs text-muted uppercase">{r.type.toLowerCase().replace(/_/g, " ")}</span>
                <a href={r.url} rel="noopener noreferrer nofollow" target="_blank" className="break-all text-accent hover:underline">
                  {r.url}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
