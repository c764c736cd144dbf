import { getRescanSchedule, hasRole, listAdvisorySources } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { FeedStatus } from "../../../components/vulnerabilities/feed-status.tsx";
import { FixKindToggle, FixLeverageTable, type FixKind } from "../../../components/vulnerabilities/fix-leverage-table.tsx";
import { RescanControls } from "../../../components/vulnerabilities/rescan-controls.tsx";
import { RiskyWorkloads } from "../../../components/vulnerabilities/risky-workloads.tsx";
import { ScanRunsTable } from "../../../components/vulnerabilities/scan-runs-table.tsx";
import { ScheduleCard } from "../../../components/vulnerabilities/schedule-card.tsx";
import { VulnTabs } from "../../../components/vulnerabilities/vuln-tabs.tsx";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";
import { fixLeverageOrNull, orgClusters, recentScanRuns, riskiestWorkloads } from "./data.ts";

export const metadata: Metadata = { title: "Vulnerabilities" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

function Section({ id, title, description, actions, children }: { id: string; title: string; description?: React.ReactNode; actions?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="card overflow-x-auto p-0" data-testid={`section-${id}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 px-4 pt-4 pb-3">
        <div>
          <h2 id={`${id}-title`} className="font-semibold">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-sm text-muted">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export default async function VulnerabilitiesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, current } = await requirePage();
  const sp = await searchParams;
  const kind: FixKind = first(sp.fix) === "image" ? "image" : "package";
  const clusters = await orgClusters(ctx);
  const wanted = first(sp.cluster);
  const cluster = wanted && clusters.some((c) => c.name === wanted) ? wanted : undefined;
  const canRescan = hasRole(current.role, "ANALYST");
  const isAdmin = hasRole(current.role, "ADMIN");

  const [leverage, workloads, runs, schedule, sources] = await Promise.all([
    fixLeverageOrNull(ctx, { kind, ...(cluster ? { cluster } : {}), limit: 15 }),
    riskiestWorkloads(ctx),
    recentScanRuns(ctx, 10),
    getRescanSchedule(db(), ctx),
    listAdvisorySources(db()),
  ]);
  const now = new Date();

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Vulnerabilities
          </h1>
          <p className="text-sm text-muted">
            What to fix first, which workloads are most at risk, and how findings stay current: images are re-matched against the advisory feeds on a schedule,
            whenever advisories change, and on demand.
          </p>
        </div>
        <VulnTabs current="/vulnerabilities" />
      </div>

      <Section
        id="fix-first"
        title="Fix first"
        description={kind === "package" ? "Package upgrades ranked by the open findings they remove (critical first)." : "Image updates: running images whose newer build of the same repository has fewer open findings."}
        actions={
          <div className="flex flex-wrap items-end gap-2">
            <FixKindToggle kind={kind} cluster={cluster} />
            {clusters.length > 0 ? (
              <form method="get" action="/vulnerabilities" className="flex items-end gap-2" aria-label="Limit fixes to a cluster">
                {kind === "image" ? <input type="hidden" name="fix" value="image" /> : null}
                <label htmlFor="fix-cluster" className="sr-only">
                  Cluster
                </label>
                <select id="fix-cluster" name="cluster" defaultValue={cluster ?? ""} className="input w-auto py-1 text-sm" data-testid="fix-cluster">
                  <option value="">All clusters</option>
                  {clusters.map((c) => (
                    <option key={c.id} value={c.name}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <button type="submit" className="btn py-1">
                  Apply
                </button>
              </form>
            ) : null}
          </div>
        }
      >
        {leverage ? (
          <FixLeverageTable rows={leverage} kind={kind} />
        ) : (
          <p role="alert" className="px-4 pb-4 text-sm text-danger" data-testid="fix-leverage-error">
            The fix list could not be computed right now. The other sections are unaffected; the server log has the details.
          </p>
        )}
      </Section>

      <Section id="risky-workloads" title="Riskiest workloads" description="Scores from 0 to 100, each point explained.">
        <RiskyWorkloads workloads={workloads} />
      </Section>

      <Section
        id="scans"
        title="Scans"
        description="Re-matches of installed packages against the current advisories. Progress updates live while a run is going."
      >
        <div className="border-b border-border px-4 pb-4">
          <RescanControls
            canRescan={canRescan}
            reason={canRescan ? null : `Starting a rescan needs the analyst role or higher; your role in ${current.name} is ${current.role.toLowerCase()}.`}
            clusters={clusters}
          />
        </div>
        <div className="pt-2">
          <ScanRunsTable runs={runs} />
        </div>
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="schedule" title="Rescan schedule">
          <div className="px-4 pb-4">
            <ScheduleCard cron={schedule.cron} lastDue={schedule.lastDue} canEdit={isAdmin} />
          </div>
        </Section>
        <Section
          id="feeds"
          title="Advisory feeds"
          description={
            <>
              Where advisories come from.{" "}
              <Link href="/vulnerabilities/advisories" className="text-accent underline">
                Browse advisories
              </Link>
            </>
          }
        >
          <FeedStatus sources={sources} now={now} />
        </Section>
      </div>
    </div>
  );
}
