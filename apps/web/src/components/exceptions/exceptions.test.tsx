import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ExceptionFlags } from "./badges.tsx";
import { ExceptionsTable } from "./exceptions-table.tsx";
import { exceptionsHref, parseExceptionFilters } from "./filters.ts";
import { ExceptionHistory } from "./history.tsx";
import { historyDetails, historyNote, scopeEntries, scopeSummary, stateDisplay } from "./labels.ts";
import { buildRequest, expiryBounds } from "./request.ts";

describe("exception labels", () => {
  it("lists scope fields in display order with labels", () => {
    expect(scopeEntries({ cluster: "prod", advisory: "CVE-2024-3094", legacyKey: "x", empty: "" })).toEqual([
      ["advisory", "Advisory", "CVE-2024-3094"],
      ["cluster", "Cluster", "prod"],
      ["legacyKey", "legacyKey", "x"],
    ]);
    expect(scopeSummary({ advisory: "CVE-1", imageRepository: "ghcr.io/acme/api" })).toBe("Advisory CVE-1 · Image repository ghcr.io/acme/api");
    expect(scopeSummary({})).toBe("(empty scope)");
  });
  it("names states and history entries", () => {
    expect(stateDisplay("requested")).toEqual({ label: "Awaiting approval", tone: "warn" });
    expect(stateDisplay("expired").label).toBe("Expired");
    expect(historyDetails("exception.approved", { selfApproved: true, suppressed: 4, note: "ok" })).toEqual(["approved by its requester", "4 findings suppressed"]);
    expect(historyDetails("exception.revoked", { reopened: 2 })).toEqual(["2 findings reopened"]);
    expect(historyNote({ note: "  " })).toBeNull();
    expect(historyNote({ note: "accepted until Q1" })).toBe("accepted until Q1");
  });
});

describe("exception filters", () => {
  it("keeps known values only and builds links", () => {
    expect(parseExceptionFilters({ status: "approved", kind: "nope", flag: "unused", cursor: "c1" })).toEqual({ status: "APPROVED", flag: "unused", cursor: "c1" });
    expect(exceptionsHref({ status: "REQUESTED", flag: "broad", cursor: "old" }, "next")).toBe("/exceptions?status=REQUESTED&flag=broad&cursor=next");
    expect(exceptionsHref({})).toBe("/exceptions");
  });
});

describe("request body", () => {
  it("sends only filled-in scope fields and an end-of-day expiry", () => {
    expect(buildRequest({ kind: "FALSE_POSITIVE", scope: { advisory: " CVE-2024-3094 ", cluster: "", namespace: "  " }, reason: "not reachable", expires: "2027-01-31" })).toEqual({
      kind: "FALSE_POSITIVE",
      scope: { advisory: "CVE-2024-3094" },
      reason: "not reachable",
      expiresAt: "2027-01-31T23:59:59Z",
    });
    expect(buildRequest({ kind: "RISK_ACCEPTED", scope: {}, reason: "r", expires: "" })).not.toHaveProperty("expiresAt");
  });
  it("bounds the date picker to tomorrow … within the maximum", () => {
    expect(expiryBounds(new Date("2026-11-29T12:00:00Z"), 365)).toEqual({ min: "2026-11-30", max: "2027-11-28" });
  });
});

describe("exception markup", () => {
  it("shows flags as visible text", () => {
    const html = renderToStaticMarkup(<ExceptionFlags flags={["matches-nothing"]} idSuffix="e1" />);
    expect(html).toContain('data-testid="flag-matches-nothing-e1"');
    expect(html).toContain("Matches nothing");
    expect(renderToStaticMarkup(<ExceptionFlags flags={["matches-over-100"]} />)).toContain("Matches over 100 findings");
  });
  it("renders rows with scope, state, match count and flags", () => {
    const html = renderToStaticMarkup(
      <ExceptionsTable
        rows={[
          { id: "e1", kind: "RISK_ACCEPTED", state: "requested", scope: { advisory: "CVE-2099-0001" }, reason: "test", requestedBy: { email: "ari@acme.io" }, createdAt: new Date("2026-11-29T10:00:00Z"), expiresAt: null, matchCount: 0, flags: ["matches-nothing"] },
        ]}
      />,
    );
    expect(html).toMatch(/data-testid="exception-row-e1" data-state="requested"/);
    expect(html).toContain('href="/exceptions/e1"');
    expect(html).toContain("CVE-2099-0001");
    expect(html).toContain("Awaiting approval");
    expect(html).toContain('data-testid="match-count-e1">0<');
    expect(html).toContain("Matches nothing");
    expect(html).toContain("Never");
  });
  it("renders the history with notes", () => {
    const html = renderToStaticMarkup(
      <ExceptionHistory
        entries={[
          { id: "a1", action: "exception.requested", actor: "ari@acme.io", at: new Date("2026-11-29T10:00:00Z"), metadata: {} },
          { id: "a2", action: "exception.rejected", actor: "admin@acme.io", at: new Date("2026-11-29T11:00:00Z"), metadata: { note: "too broad" } },
        ]}
      />,
    );
    expect(html).toContain("Requested");
    expect(html).toContain("Rejected");
    expect(html).toContain("too broad");
    expect(renderToStaticMarkup(<ExceptionHistory entries={[]} />)).toContain("No history recorded");
  });
});
