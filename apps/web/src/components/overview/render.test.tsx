import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConnectorHealthList, findingsHref, RiskiestWorkloads, RuntimeAlerts } from "./panels.tsx";
import { PracticesSummary } from "./practices.tsx";

const now = new Date("2026-11-29T12:00:00.000Z");

describe("overview panels", () => {
  it("findingsHref builds the explorer's URL contract", () => {
    expect(findingsHref({})).toBe("/findings");
    expect(findingsHref({ severity: "HIGH", cluster: "prod eu" })).toBe("/findings?severity=HIGH&cluster=prod+eu");
  });

  it("riskiest workloads link to their detail page with the strongest factor as the reason", () => {
    const html = renderToStaticMarkup(
      <RiskiestWorkloads rows={[{ id: "w1", name: "checkout", kind: "Deployment", namespace: "shop", cluster: "prod", riskScore: 87, topFactor: "runs a known-exploited vulnerability" }]} />,
    );
    expect(html).toContain('href="/workloads/w1"');
    expect(html).toContain("Deployment · prod/shop");
    expect(html).toContain("runs a known-exploited vulnerability");
    expect(html).toContain('<th scope="row"');
    expect(renderToStaticMarkup(<RiskiestWorkloads rows={[]} />)).toContain("No workload carries risk");
  });

  it("runtime alerts show where, how often and how long ago, with severity in text for screen readers", () => {
    const html = renderToStaticMarkup(
      <RuntimeAlerts
        now={now}
        rows={[{ id: "f1", title: "Terminal shell in container", severity: "HIGH", ruleId: "Terminal shell in container", cluster: "prod", namespace: "shop", workloadId: "w1", workload: "checkout", occurrences: 1200, lastSeen: new Date(now.getTime() - 90_000) }]}
      />,
    );
    expect(html).toContain('href="/findings/f1"');
    expect(html).toContain("prod / shop / checkout · 1,200×");
    expect(html).toContain("1 min ago");
    expect(html).toContain('<span class="sr-only">High, </span>');
  });

  it("connector health flags stale connectors in text, not only by colour", () => {
    const html = renderToStaticMarkup(
      <ConnectorHealthList
        now={now}
        rows={[
          { kind: "cluster", id: "c1", name: "prod", lastReportAt: new Date(now.getTime() - 3 * 3600_000), stale: true },
          { kind: "registry", id: "r1", name: "ghcr", lastReportAt: new Date(now.getTime() - 60_000), stale: false },
        ]}
      />,
    );
    expect(html).toMatch(/data-stale="true"[^]*Stale · last report 3 h ago/);
    expect(html).toContain('href="/clusters/c1"');
    expect(html).toContain('href="/images?registry=ghcr"');
    expect(renderToStaticMarkup(<ConnectorHealthList now={now} rows={[]} />)).toContain('href="/connectors"');
  });

  it("practices show percentage and counts, and 'not configured' instead of a misleading 0%", () => {
    const html = renderToStaticMarkup(
      <PracticesSummary
        practices={[
          { key: "nonRoot", label: "Non-root, no privileged", compliant: 3, total: 4, href: "/workloads?practice=nonRoot&compliant=false" },
          { key: "trustedImages", label: "Trusted images only", compliant: 0, total: 4, notConfigured: true, href: "/compliance" },
        ]}
      />,
    );
    expect(html).toContain('data-testid="practice-nonRoot-pct">75%');
    expect(html).toContain("3/4");
    expect(html).toMatch(/practice-trustedImages[^]*not configured/);
    expect(html).not.toContain("practice-trustedImages-pct");
  });
});
