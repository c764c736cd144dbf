import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActionFiltersForm, ActionsTable } from "./actions-table.tsx";
import { EnforcementTabs } from "./enforcement-tabs.tsx";
import { actionFiltersToSearch, actionQuery, hasActionFilters, parseActionFilters, toActionRow } from "./response-actions.ts";

// The "Actions" tab of the enforcement page: URL filters, rows derived from the API's view, and the
// server-rendered table (statuses as text, links to policy and trigger finding, cancel only where given).

const now = new Date("2026-11-29T12:00:00.000Z");
const view = {
  id: "a1",
  action: "SCALE_TO_ZERO",
  status: "PENDING",
  cluster: { id: "c1", name: "prod-eu" },
  namespace: "shop",
  kind: "Deployment",
  name: "web",
  pod: null,
  policyKey: "no-privileged",
  reason: 'Deployment shop/web fails policy no-privileged: Container "app" runs privileged',
  result: null,
  finding: { id: "f1", title: "No privileged containers: Deployment shop/web" },
  workloadId: "w1",
  enforcementPoint: null,
  createdAt: now,
  claimedAt: null,
  completedAt: null,
};

describe("action filters", () => {
  it("reads known values from the URL, drops unknown ones, and writes them back in a stable order", () => {
    expect(parseActionFilters({ status: "failed", cluster: " prod-eu ", policy: "no-privileged", cursor: "c9" })).toEqual({ filters: { status: "FAILED", cluster: "prod-eu", policy: "no-privileged" }, cursor: "c9" });
    expect(parseActionFilters(new URLSearchParams("status=DONE&cluster=&policy=" + "x".repeat(101)))).toEqual({ filters: {} });
    expect(actionFiltersToSearch({ policy: "p", status: "PENDING", cluster: "c" }, "next")).toBe("?status=PENDING&cluster=c&policy=p&cursor=next");
    expect(actionFiltersToSearch({})).toBe("");
    expect(hasActionFilters({})).toBe(false);
    expect(actionQuery({ status: "CLAIMED" }, "c1")).toEqual({ status: "CLAIMED", cursor: "c1", limit: 50 });
  });

  it("derives rows: pod targets, labels, and which rows can be cancelled", () => {
    expect(toActionRow(view)).toMatchObject({ target: "Deployment shop/web", actionLabel: "Scale to zero", cancellable: true, claimedBy: null, createdAt: now.toISOString() });
    const pod = toActionRow({ ...view, action: "DELETE_POD", pod: "web-7d9c6b5f8-q8w2z", status: "SUCCEEDED", enforcementPoint: { name: "prod-eu-enforcer" }, claimedAt: now, completedAt: now });
    expect(pod).toMatchObject({ target: "pod shop/web-7d9c6b5f8-q8w2z", actionLabel: "Delete pod", cancellable: false, claimedBy: "prod-eu-enforcer" });
    expect(toActionRow({ ...view, status: "CLAIMED" }).cancellable).toBe(true);
    expect(toActionRow({ ...view, status: "CANCELLED" }).cancellable).toBe(false);
  });
});

describe("actions table", () => {
  const rows = [
    toActionRow(view),
    toActionRow({ ...view, id: "a2", action: "DELETE_POD", pod: "web-1", status: "FAILED", result: `HTTP 403: ${"forbidden ".repeat(20)}`, enforcementPoint: { name: "prod-eu-enforcer" }, claimedAt: now, finding: null }),
    toActionRow({ ...view, id: "a3", status: "SKIPPED", result: "not configured to act (BULWARK_RESPONSE_ACTIONS=report)", enforcementPoint: { name: "prod-eu-enforcer" }, claimedAt: now }),
  ];

  it("renders every column with statuses as text, links, and cancel controls only for open actions", () => {
    const html = renderToStaticMarkup(<ActionsTable rows={rows} cancel={(r) => <button type="button">Cancel {r.id}</button>} />);
    expect(html).toContain('data-testid="actions-table"');
    expect(html.match(/<th scope="col"/g)).toHaveLength(10);
    expect(html).toMatch(/data-testid="action-row-a1" data-status="PENDING"/);
    expect(html).toMatch(/data-testid="action-row-a2" data-status="FAILED"/);
    for (const text of ["Pending", "Failed", "Skipped", "Scale to zero", "Delete pod", "Deployment shop/web", "pod shop/web-1", "prod-eu-enforcer", "Not claimed", "prod-eu"]) expect(html).toContain(text);
    expect(html).toContain('href="/policies/no-privileged"');
    expect(html).toContain('href="/findings/f1"');
    expect(html).toContain(`title="${rows[1]!.result}"`);
    expect(html).toContain("…");
    expect(html).toContain("Cancel a1");
    expect(html).not.toContain("Cancel a2");
    expect(html).not.toContain("Cancel a3");
    expect(html).toContain('<th scope="row"');
  });

  it("has no cancel column for readers", () => {
    const html = renderToStaticMarkup(<ActionsTable rows={rows} />);
    expect(html.match(/<th scope="col"/g)).toHaveLength(9);
    expect(html).not.toContain("Cancel");
  });

  it("keeps filters in a labelled GET form, and the tab is in the enforcement sections", () => {
    const html = renderToStaticMarkup(<ActionFiltersForm filters={{ status: "FAILED", cluster: "prod-eu" }} clusters={["prod-eu"]} policies={["no-privileged"]} />);
    expect(html).toContain('method="get"');
    expect(html).toContain('action="/enforcement/actions"');
    expect(html).toMatch(/<option value="FAILED" selected="">Failed<\/option>/);
    for (const id of ["a-status", "a-cluster", "a-policy"]) expect(html).toContain(`for="${id}"`);
    expect(html).toContain(">Clear<");
    const tabs = renderToStaticMarkup(<EnforcementTabs current="/enforcement/actions" />);
    expect(tabs).toContain('href="/enforcement/actions"');
    expect(tabs).toMatch(/aria-current="page"[^>]*>Actions|href="\/enforcement\/actions"[^>]*aria-current="page"/);
  });
});
