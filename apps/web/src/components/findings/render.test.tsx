import { type FindingListRow, parseFindingFilters } from "@bulwark/core";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FilterBar } from "./filter-bar.tsx";
import { AffectedResources, Evidence, FindingTimeline, KeyFacts } from "./finding-detail.tsx";
import { FindingsTable } from "./findings-table.tsx";
import { FindingsEmpty, FindingsTotal } from "./findings-summary.tsx";
import { exportHref, filterChips, findingsHref, sortHref } from "./links.ts";
import { noticeOf } from "./notice.ts";
import { SavedViewsMenu } from "./saved-views-menu.tsx";
import { TriageForm } from "./triage-form.tsx";

// Server-rendered markup of the findings explorer: test ids, links that keep the URL contract,
// keyboard-usable controls, and states that read as text.

const row = (over: Partial<FindingListRow> = {}): FindingListRow => ({
  id: "f1",
  severity: "CRITICAL",
  type: "VULNERABILITY",
  status: "OPEN",
  title: "OpenSSL buffer overflow",
  ruleId: "CVE-2024-1234",
  source: "trivy",
  packageName: "openssl",
  packageVersion: "3.0.1",
  fixedVersion: "3.0.2",
  fixable: true,
  cvssScore: 9.8,
  imageId: "img1",
  image: "ghcr.io/acme/api:1.0",
  clusterId: null,
  cluster: null,
  namespaceId: null,
  namespace: null,
  workloadId: null,
  workload: null,
  workloadKind: null,
  exceptionId: null,
  firstSeen: new Date("2026-11-01T10:00:00Z"),
  lastSeen: new Date("2026-11-28T10:00:00Z"),
  ...over,
});
const noop = async () => undefined;

describe("links", () => {
  it("keep filters canonical, flip sort direction and drop the cursor on new filters", () => {
    const f = parseFindingFilters("severity=HIGH&severity=CRITICAL&cluster=prod&cursor=abc");
    expect(findingsHref(f)).toBe("/findings?severity=HIGH&severity=CRITICAL&cluster=prod");
    expect(findingsHref(f, "next")).toBe("/findings?severity=HIGH&severity=CRITICAL&cluster=prod&cursor=next");
    expect(exportHref(f)).toBe("/api/v1/findings/export.csv?severity=HIGH&severity=CRITICAL&cluster=prod");
    expect(sortHref(f, "severity")).toBe("/findings?severity=HIGH&severity=CRITICAL&cluster=prod&dir=asc");
    expect(sortHref(f, "cvss")).toBe("/findings?severity=HIGH&severity=CRITICAL&cluster=prod&sort=cvss");
    expect(filterChips(f).map((c) => [c.label, c.removeHref])).toEqual([
      ["Severity: High", "/findings?severity=CRITICAL&cluster=prod"],
      ["Severity: Critical", "/findings?severity=HIGH&cluster=prod"],
      ["Cluster: prod", "/findings?severity=HIGH&severity=CRITICAL"],
    ]);
    expect(findingsHref(parseFindingFilters("rule=CVE-2024-3094"))).toBe("/findings?rule=CVE-2024-3094");
  });

  it("notices come from codes only", () => {
    expect(noticeOf({ done: "request-exception", n: "3", ex: "2", skip: "1" })?.text).toBe(
      "Requested 2 exceptions for 3 findings; an admin approves before anything is suppressed. 1 finding skipped (already handled, or still covered by an exception).",
    );
    expect(noticeOf({ err: "FORBIDDEN" })).toEqual({ tone: "error", text: "Your role does not allow this action." });
    expect(noticeOf({ err: "<script>" })?.text).toBe("Something went wrong on our side. Please try again.");
    expect(noticeOf({})).toBeNull();
  });
});

describe("findings table", () => {
  it("renders a real table with sort links, row links, checkboxes for the triage form and test ids", () => {
    const filters = parseFindingFilters("sort=cvss&dir=asc");
    const html = renderToStaticMarkup(
      <FindingsTable
        filters={filters}
        selectable
        rows={[row(), row({ id: "f2", severity: "MEDIUM", type: "MISCONFIGURATION", imageId: null, image: null, packageName: null, cvssScore: null, workloadId: "w1", workload: "web", workloadKind: "Deployment", cluster: "prod", clusterId: "c1", namespace: "shop", exceptionId: "x1", status: "SUPPRESSED" })]}
      />,
    );
    expect(html).toContain('data-testid="findings-table"');
    expect(html.match(/data-testid="finding-row"/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row"');
    expect(html).toContain('href="/findings/f1"');
    expect(html).toContain('href="/images/img1"');
    expect(html).toContain('href="/workloads/w1"');
    expect(html).toContain('href="/exceptions/x1"');
    expect(html).toContain('aria-sort="ascending"');
    expect(html).toContain('href="/findings?sort=cvss"'); // the current column reverses
    expect(html).toMatch(/<input type="checkbox" form="triage-form" title="Select: OpenSSL buffer overflow"[^>]*name="ids" value="f1"/);
    expect(html).toContain('data-finding-id="f1"');
    expect(html).toContain('<td data-severity="CRITICAL">');
    for (const text of ["Critical", "openssl", "fixed in 3.0.2", "9.8", "Deployment/web", "Suppressed", "2026-11-01 10:00 UTC"]) expect(html).toContain(text);
    expect(renderToStaticMarkup(<FindingsTable filters={filters} selectable={false} rows={[row()]} />)).not.toContain("checkbox");
  });

  it("shows exact and capped totals and both empty states", () => {
    expect(renderToStaticMarkup(<FindingsTotal total={{ count: 1234, exact: true, via: "tally" }} />)).toMatch(/data-testid="findings-total" data-exact="true"[^>]*>1,234 findings</);
    expect(renderToStaticMarkup(<FindingsTotal total={{ count: 10000, exact: false, via: "count" }} />)).toContain("More than 10,000 findings");
    expect(renderToStaticMarkup(<FindingsTotal total={{ count: 50, exact: false, via: "page" }} />)).toContain("At least 50 findings");
    const filtered = renderToStaticMarkup(<FindingsEmpty filtered orgHasFindings />);
    expect(filtered).toContain("No findings match these filters");
    expect(filtered).toContain('href="/findings"');
    expect(renderToStaticMarkup(<FindingsEmpty filtered={false} orgHasFindings={false} />)).toContain('href="/connectors"');
  });
});

describe("filter bar, triage form and saved views", () => {
  it("is a GET search form that keeps multi-values, hidden filters and shows removable chips", () => {
    const html = renderToStaticMarkup(<FilterBar filters={parseFindingFilters("severity=HIGH&severity=CRITICAL&workload=w1&q=zlib&status=ALL")} />);
    expect(html).toMatch(/<form role="search"[^>]*action="\/findings" method="get">/);
    expect(html).toContain('<option value="HIGH,CRITICAL" selected="">High, Critical</option>');
    expect(html).toContain('<input type="hidden" name="workload" value="w1"/>');
    expect(html).toContain('<option value="ALL" selected="">Any status</option>');
    expect(html).toMatch(/href="\/findings\?severity=HIGH&amp;severity=CRITICAL&amp;status=ALL&amp;workload=w1"[^>]*>Search: zlib<span aria-hidden="true">×<\/span><span class="sr-only"> \(remove filter\)<\/span><\/a>/);
    // No control other than the filters is labelled with a filter's name (tests find fields by label).
    expect(html.match(/aria-label="[^"]*(Severity|Type)/g)).toBeNull();
    for (const id of ["f-q", "f-type", "f-severity", "f-status", "f-source", "f-fixable", "f-cluster", "f-namespace", "f-rule", "f-technique", "f-since"]) expect(html).toContain(`for="${id}"`);
  });

  it("triage form asks for an action and a reason", () => {
    const html = renderToStaticMarkup(<TriageForm action={noop} back="/findings?severity=HIGH" isAdmin={false} />);
    expect(html).toContain('id="triage-form"');
    expect(html).toContain('data-testid="triage-form"');
    expect(html).toContain('value="mark-false-positive"');
    expect(html).toMatch(/<label for="triage-action"[^>]*>Action<\/label><select id="triage-action" name="action"/);
    expect(html).toMatch(/<textarea[^>]*name="reason"[^>]*required/);
    expect(html).toContain("An admin approves it");
    expect(renderToStaticMarkup(<TriageForm action={noop} back="/findings/f1" ids={["f1"]} isAdmin />)).toContain('<input type="hidden" name="ids" value="f1"/>');
  });

  it("saved views link to their query and offer delete only where allowed", () => {
    const views = [
      { id: "v1", page: "findings", name: "Mine", query: "severity=CRITICAL", shared: false, mine: true, owner: "a@x", createdAt: new Date() },
      { id: "v2", page: "findings", name: "Team", query: "", shared: true, mine: false, owner: "b@x", createdAt: new Date() },
    ];
    const html = renderToStaticMarkup(<SavedViewsMenu views={views} query="type=SECRET" saveAction={noop} deleteAction={noop} canShare={false} isAdmin={false} />);
    expect(html).toContain('href="/findings?severity=CRITICAL"');
    expect(html).toContain("shared by b@x");
    expect(html).toContain('aria-label="Delete saved view Mine"');
    expect(html).not.toContain('aria-label="Delete saved view Team"');
    expect(html).not.toContain('name="shared"');
    expect(html).toContain('<input type="hidden" name="query" value="type=SECRET"/>');
  });
});

describe("finding detail parts", () => {
  it("shows facts, evidence, resources with links and the history", () => {
    const facts = renderToStaticMarkup(
      <KeyFacts f={{ type: "RUNTIME", status: "OPEN", ruleId: "Terminal shell", source: "falco", packageName: null, packageVersion: null, fixedVersion: null, cvssScore: null, mitreTechniques: ["T1059"], occurrences: 3 }} ruleHref={null} />,
    );
    expect(facts).toContain('href="/findings?technique=T1059"');
    expect(facts).toContain("3 times");
    expect(renderToStaticMarkup(<Evidence evidence={{ pod: "web-1", cmd: "sh" }} />)).toContain("&quot;pod&quot;: &quot;web-1&quot;");
    expect(renderToStaticMarkup(<Evidence evidence={{}} />)).toContain("no evidence");
    const res = renderToStaticMarkup(
      <AffectedResources
        r={{
          image: { id: "i1", registryHost: "ghcr.io", repository: "acme/api", tags: ["1.0"], digest: "sha256:abc" },
          workload: null,
          cluster: null,
          namespace: null,
          runsIn: [{ id: "w1", kind: "Deployment", name: "web", cluster: { id: "c1", name: "prod" }, namespace: { id: "n1", name: "shop" } }],
          runsInTotal: 3,
        }}
      />,
    );
    for (const href of ["/images/i1", "/workloads/w1", "/clusters/c1"]) expect(res).toContain(`href="${href}"`);
    expect(res).toContain("and 2 more");
    const tl = renderToStaticMarkup(
      <FindingTimeline
        events={[
          { at: new Date("2026-11-01T00:00:00Z"), kind: "first-seen", label: "First seen" },
          { at: new Date("2026-11-02T00:00:00Z"), kind: "triage", label: "Reopened", actor: "a@x", detail: "still there" },
        ]}
      />,
    );
    expect(tl).toContain('data-testid="finding-history"');
    expect(tl).toContain("by a@x");
    expect(tl).toContain('dateTime="2026-11-02T00:00:00.000Z"');
  });
});
