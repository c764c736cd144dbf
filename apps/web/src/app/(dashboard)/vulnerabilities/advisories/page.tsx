import { listAdvisories } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatNumber, titleCase, truncate } from "../../../../components/format.ts";
import { SeverityBadge } from "../../../../components/policies/badges.tsx";
import { AdvisoryFlags, advisoryHref } from "../../../../components/vulnerabilities/advisory-badges.tsx";
import { ADVISORY_SEVERITIES, advisoriesHref, parseAdvisoryFilters } from "../../../../components/vulnerabilities/advisory-filters.ts";
import { VulnTabs } from "../../../../components/vulnerabilities/vuln-tabs.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { advisoryEcosystems } from "../data.ts";

export const metadata: Metadata = { title: "Advisories" };

const PAGE_SIZE = 50;

export default async function AdvisoriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx } = await requirePage();
  const filters = parseAdvisoryFilters(await searchParams);
  const [{ items, nextCursor }, ecosystems] = await Promise.all([listAdvisories(db(), ctx, { ...filters, limit: PAGE_SIZE }), advisoryEcosystems()]);
  const filtered = Boolean(filters.q || filters.ecosystem || filters.severity || filters.withdrawn);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="space-y-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Advisories
          </h1>
          <p className="text-sm text-muted">Every advisory Bulwark matches packages against, with how many open findings each one has in your organization.</p>
        </div>
        <VulnTabs current="/vulnerabilities/advisories" />
      </div>

      <form method="get" action="/vulnerabilities/advisories" role="search" aria-label="Filter advisories" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto]" data-testid="advisory-filters">
        <div>
          <label htmlFor="a-q" className="label text-xs">
            Advisory, CVE or package
          </label>
          <input id="a-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={200} placeholder="CVE-2024-3094, GHSA-…, openssl" className="input py-1.5" />
        </div>
        <div>
          <label htmlFor="a-ecosystem" className="label text-xs">
            Ecosystem
          </label>
          <input id="a-ecosystem" name="ecosystem" list="a-ecosystem-options" defaultValue={filters.ecosystem ?? ""} maxLength={100} placeholder="any" className="input py-1.5" />
          <datalist id="a-ecosystem-options">
            {ecosystems.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="a-severity" className="label text-xs">
            Severity
          </label>
          <select id="a-severity" name="severity" defaultValue={filters.severity ?? ""} className="input py-1.5">
            <option value="">Any</option>
            {ADVISORY_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {titleCase(s)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="a-withdrawn" className="label text-xs">
            Withdrawn
          </label>
          <select id="a-withdrawn" name="withdrawn" defaultValue={filters.withdrawn ?? ""} className="input py-1.5">
            <option value="">Either</option>
            <option value="false">Active only</option>
            <option value="true">Withdrawn only</option>
          </select>
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Search
          </button>
          {filtered ? (
            <Link href="/vulnerabilities/advisories" className="btn">
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      <div className="card overflow-x-auto p-0">
        {items.length === 0 ? (
          <div className="p-6 text-sm" data-testid="advisories-empty">
            {filtered || filters.cursor ? (
              <p>
                No advisory matches these filters.{" "}
                <Link href="/vulnerabilities/advisories" className="text-accent underline">
                  Show all advisories
                </Link>
                .
              </p>
            ) : (
              <p className="text-muted">No advisory is stored yet. They arrive with the first advisory feed sync or a `bulwark vuln import`.</p>
            )}
          </div>
        ) : (
          <table className="table" data-testid="advisories-table">
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Severity</th>
                <th scope="col">Summary</th>
                <th scope="col" className="text-right">
                  Open findings
                </th>
                <th scope="col">Modified</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid={`advisory-row-${a.externalId}`}>
                  <th scope="row" className="min-w-48 text-left align-top text-sm font-medium tracking-normal text-fg normal-case">
                    <Link href={advisoryHref(a.externalId)} className="text-accent hover:underline">
                      {a.externalId}
                    </Link>
                    {a.aliases.length ? <span className="block text-xs font-normal text-muted">{truncate(a.aliases.join(", "), 80)}</span> : null}
                    <span className="mt-1 block">
                      <AdvisoryFlags knownExploited={a.knownExploited} publicExploit={a.publicExploit} withdrawnAt={a.withdrawnAt} />
                    </span>
                  </th>
                  <td>
                    {a.severity ? <SeverityBadge severity={a.severity} /> : <span className="text-xs text-muted">Unrated</span>}
                    {a.cvssScore !== null ? <span className="block text-xs text-muted tabular-nums">CVSS {a.cvssScore.toFixed(1)}</span> : null}
                  </td>
                  <td className="max-w-lg">{a.summary ? truncate(a.summary, 160) : <span className="text-muted">—</span>}</td>
                  <td className="text-right tabular-nums">
                    {a.openFindings > 0 ? (
                      <Link href={`/findings?rule=${encodeURIComponent(a.externalId)}`} className="font-semibold text-accent hover:underline">
                        {formatNumber(a.openFindings)}
                      </Link>
                    ) : (
                      <span className="text-muted">0</span>
                    )}
                  </td>
                  <td className="text-xs whitespace-nowrap">{formatDateTime(a.modifiedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      {filters.cursor || nextCursor ? (
        <nav aria-label="Advisory pages" className="flex gap-2">
          {filters.cursor ? (
            <Link href={advisoriesHref(filters)} className="btn">
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={advisoriesHref(filters, nextCursor)} className="btn" data-testid="advisories-next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
