import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AffectedPackages } from "./affected-packages.tsx";
import { FeedStatus, feedStats } from "./feed-status.tsx";
import { FixLeverageTable, fixHref } from "./fix-leverage-table.tsx";
import { RiskyWorkloads } from "./risky-workloads.tsx";
import { RunStatusCell } from "./run-status.tsx";
import { ScanRunsTable } from "./scan-runs-table.tsx";
import { ScheduleCard } from "./schedule-card.tsx";
import type { ScanRunItem } from "./scan-run.ts";

// Server-rendered markup of the vulnerability components: test ids, text states and empty states.

const now = new Date("2026-11-29T12:00:00.000Z");

const finished: ScanRunItem = {
  id: "run1",
  kind: "CLUSTER",
  status: "SUCCEEDED",
  trigger: "user:ana@acme.io",
  targetLabel: "prod-eu",
  total: 4,
  done: 4,
  stats: { images: 4, matched: 2, opened: 1 },
  error: null,
  startedAt: "2026-11-29T11:00:00.000Z",
  finishedAt: "2026-11-29T11:00:05.000Z",
};

describe("fix leverage", () => {
  it("renders upgrades with from → to and counts", () => {
    const html = renderToStaticMarkup(
      <FixLeverageTable kind="package" rows={[{ kind: "package", target: "openssl", ecosystem: "Debian:12", from: ["3.0.11-1", "3.0.9-1", "3.0.8-1", "3.0.7-1"], to: "3.0.13-1", findings: 7, critical: 2, high: 3, images: 3, workloads: 5 }]} />,
    );
    expect(html).toContain('data-testid="fix-leverage-table"');
    expect(html).toContain('data-testid="fix-row-openssl"');
    expect(html).toContain("3.0.11-1, 3.0.9-1, 3.0.8-1");
    expect(html).toContain("+1");
    expect(html).toContain("upgrade to");
    expect(html).toContain("3.0.13-1");
  });
  it("says why the list is empty for each grouping", () => {
    expect(renderToStaticMarkup(<FixLeverageTable kind="package" rows={[]} />)).toContain("nothing to upgrade");
    expect(renderToStaticMarkup(<FixLeverageTable kind="image" rows={[]} />)).toContain("newer scanned image");
  });
  it("keeps the choice and the cluster in the URL", () => {
    expect(fixHref("package", undefined)).toBe("/vulnerabilities");
    expect(fixHref("image", "prod eu")).toBe("/vulnerabilities?fix=image&cluster=prod+eu");
  });
});

describe("riskiest workloads", () => {
  it("explains each score with its factors", () => {
    const html = renderToStaticMarkup(
      <RiskyWorkloads
        workloads={[
          { id: "w1", kind: "Deployment", name: "checkout", cluster: "prod", namespace: "payments", riskScore: 72, factors: [{ key: "known-exploited", points: 30, reason: "1 open vulnerability known to be exploited in the wild" }] },
        ]}
      />,
    );
    expect(html).toContain('data-testid="risky-workload-checkout"');
    expect(html).toContain('aria-label="Risk score 72 of 100"');
    expect(html).toContain("+30");
    expect(html).toContain("known to be exploited in the wild");
    expect(html).toContain("High");
    expect(renderToStaticMarkup(<RiskyWorkloads workloads={[]} />)).toContain('data-testid="risky-workloads-empty"');
  });
});

describe("scan runs", () => {
  it("renders a finished run with its target, trigger and stats", () => {
    const html = renderToStaticMarkup(<ScanRunsTable runs={[finished]} />);
    expect(html).toContain('data-testid="scan-run-row-run1"');
    expect(html).toContain("prod-eu");
    expect(html).toContain("ana@acme.io");
    expect(html).toContain("4 images · 2 matched · 1 opened");
    expect(html).toMatch(/data-testid="run-status-run1" data-status="SUCCEEDED"/);
    expect(html).toContain("4 / 4 images");
  });
  it("shows a running run's progress as a labelled progress bar", () => {
    const html = renderToStaticMarkup(<RunStatusCell run={{ ...finished, status: "RUNNING", done: 1, finishedAt: null }} />);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="1"');
    expect(html).toContain('aria-valuetext="1 of 4 images"');
    expect(html).toContain("1 / 4 images (25 %)");
  });
  it("shows a queued run waiting for a worker, and a failed run's error", () => {
    expect(renderToStaticMarkup(<RunStatusCell run={{ ...finished, status: "QUEUED", total: 0, done: 0 }} stalled />)).toContain("Waiting for a worker");
    expect(renderToStaticMarkup(<RunStatusCell run={{ ...finished, status: "FAILED", error: "The re-match failed" }} />)).toContain("The re-match failed");
  });
  it("has an empty state", () => {
    expect(renderToStaticMarkup(<ScanRunsTable runs={[]} />)).toContain('data-testid="scan-runs-empty"');
  });
});

describe("schedule", () => {
  it("shows the schedule in words, the pattern in UTC and the last time it was due, read-only for members", () => {
    const html = renderToStaticMarkup(<ScheduleCard cron="0 3 * * *" lastDue={new Date("2026-11-29T03:00:00Z")} canEdit={false} />);
    expect(html).toContain("Every day at 03:00 UTC");
    expect(html).toContain("0 3 * * *");
    expect(html).toContain("2026-11-29 03:00 UTC");
    expect(html).toContain('data-testid="schedule-readonly"');
    expect(renderToStaticMarkup(<ScheduleCard cron="0 3,15 * * *" lastDue={null} canEdit={false} />)).toContain("Custom schedule");
  });
});

describe("advisory feeds", () => {
  it("renders sync state, counters, error and issues", () => {
    const html = renderToStaticMarkup(
      <FeedStatus
        now={now}
        sources={[
          { id: "s1", name: "osv-debian", location: "https://***@mirror/debian.zip", enabled: true, lastSyncAt: new Date(now.getTime() - 3_600_000), lastStatus: "failed", lastError: "HTTP 503 from the feed", lastStats: { inserted: 12, updated: 0, issueCount: 1, issues: [{ id: "DSA-1", message: "bad range" }] }, advisoryCount: 1200 },
          { id: "s2", name: "osv-npm", location: "/feeds/npm", enabled: false, lastSyncAt: null, lastStatus: null, lastError: null, lastStats: {}, advisoryCount: 0 },
        ]}
      />,
    );
    expect(html).toContain('data-testid="feed-osv-debian"');
    expect(html).toContain("Failed");
    expect(html).toContain("1 h ago");
    expect(html).toContain("1,200 advisories stored");
    expect(html).toContain("12 inserted, 0 updated");
    expect(html).toContain("HTTP 503 from the feed");
    expect(html).toContain("bad range");
    expect(html).toContain("Disabled");
    expect(renderToStaticMarkup(<FeedStatus now={now} sources={[]} />)).toContain('data-testid="feeds-empty"');
    expect(feedStats(null)).toEqual({ counters: [], issueCount: 0, issues: [] });
  });
});

describe("affected packages", () => {
  it("lists intervals, listed versions and fixes", () => {
    const html = renderToStaticMarkup(
      <AffectedPackages
        packages={[
          { ecosystem: "npm", name: "lodash", ranges: [{ type: "SEMVER", repo: null, intervals: ["every version < 4.17.21"] }], versions: ["4.17.20"], fixedVersions: ["4.17.21"], skippedGitRanges: 2 },
          { ecosystem: "PyPI", name: "nofix", ranges: [{ type: "ECOSYSTEM", repo: null, intervals: ["≥ 1.0 (no fix)"] }], versions: [], fixedVersions: [], skippedGitRanges: 0 },
        ]}
      />,
    );
    expect(html).toContain("every version &lt; 4.17.21");
    expect(html).toContain("(semver)");
    expect(html).toContain("1 listed version");
    expect(html).toContain("2 commit ranges not used for matching");
    expect(html).toContain("No fix yet");
    expect(renderToStaticMarkup(<AffectedPackages packages={[]} />)).toContain('data-testid="affected-empty"');
  });
});
