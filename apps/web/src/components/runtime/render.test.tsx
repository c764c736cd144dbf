import { type BaselineView, parseRuntimeQuery, type RuntimeEventItem, type RuntimeFindingDetail, type RuntimeFindingItem, type SuppressionOption } from "@bulwark/core";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// Server-rendered markup of the Runtime pages' components: test ids, links that keep the URL
// contract, accessible names and header scopes, and states that read as text (not colour alone).

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));
// The forms' server actions run on the server; rendering only needs their names.
vi.mock("../../app/(dashboard)/runtime/actions.ts", () => ({
  suppressRuntimeAction: async () => ({ ok: true, data: {} }),
  lockBaselineAction: async () => ({ ok: true, data: {} }),
  resetBaselineAction: async () => ({ ok: true, data: {} }),
  addBaselineProcessAction: async () => ({ ok: true, data: {} }),
  updateRuntimeSettingsAction: async () => ({ ok: true, data: {} }),
  resolveRuntimeAction: async () => ({ ok: true, data: {} }),
}));

const { BaselineControls } = await import("./baseline-controls.tsx");
const { BaselineFacts, ProcessList } = await import("./baseline-detail.tsx");
const { BaselinesTable, untilText } = await import("./baselines-table.tsx");
const { EventsTable } = await import("./events-table.tsx");
const { runtimeChips, runtimeHref, severityHref } = await import("./links.ts");
const { clockOf, LiveRefresh } = await import("./live-refresh.tsx");
const { EventSpread, RuntimeException, RuntimeFacts, RuntimeWhere } = await import("./runtime-detail.tsx");
const { RuntimeEmpty, RuntimeFilters, SeverityCounts } = await import("./runtime-filters.tsx");
const { RuntimeTable } = await import("./runtime-table.tsx");
const { minutesText, RuntimeSettingsForm } = await import("./settings-form.tsx");
const { scopeText, SuppressForm } = await import("./suppress-form.tsx");
const { ResolveForm } = await import("./resolve-form.tsx");

const item = (over: Partial<RuntimeFindingItem> = {}): RuntimeFindingItem => ({
  id: "rf1",
  title: "Terminal shell in container (payments/api)",
  rule: "Terminal shell in container",
  severity: "HIGH",
  status: "OPEN",
  occurrences: 1234,
  firstSeen: new Date("2026-11-20T10:00:00Z"),
  lastSeen: new Date("2026-11-29T11:59:00Z"),
  source: "falco",
  clusterId: "c1",
  cluster: "prod",
  namespace: "payments",
  workload: { id: "w1", name: "api", kind: "Deployment" },
  workloadName: "api",
  pod: "api-7d9c6b5f8-q8w2z",
  container: "api",
  image: "ghcr.io/acme/api:1.4.2",
  process: null,
  mitreTechniques: [{ id: "T1059", name: "Command and Scripting Interpreter" }],
  tactics: [{ id: "TA0002", name: "Execution" }],
  exceptionId: null,
  ...over,
});

const detail = (over: Partial<RuntimeFindingDetail> = {}): RuntimeFindingDetail => ({
  ...item(),
  description: "A shell was spawned in a container",
  resolvedAt: null,
  workloadDeleted: false,
  hostname: "node-1",
  imageRepository: "ghcr.io/acme/api",
  baselineId: null,
  evidence: {},
  exception: null,
  eventCount: 3,
  byPod: [
    { name: "api-7d9c6b5f8-q8w2z", events: 2 },
    { name: null, events: 1 },
  ],
  byContainer: [{ name: "api", events: 3 }],
  ...over,
});

const baseline = (over: Partial<BaselineView> = {}): BaselineView => ({
  id: "b1",
  workload: { id: "w1", name: "api", kind: "Deployment", namespace: "payments", cluster: "prod" },
  container: "api",
  status: "LEARNING",
  processes: ["/bin/sh", "/usr/bin/node"],
  learningEndsAt: new Date("2026-11-29T15:00:00Z"),
  lockedAt: null,
  lockedBy: null,
  openAnomalies: 0,
  ...over,
});

const now = new Date("2026-11-29T12:00:00Z");

describe("links", () => {
  it("keep the URL contract canonical and toggle a severity", () => {
    const q = parseRuntimeQuery("severity=HIGH&cluster=prod&sort=occurrences&cursor=abc");
    expect(runtimeHref(q)).toBe("/runtime?severity=HIGH&cluster=prod&sort=occurrences");
    expect(runtimeHref(q, "next")).toBe("/runtime?severity=HIGH&cluster=prod&sort=occurrences&cursor=next");
    expect(severityHref(q, "HIGH")).toBe("/runtime?cluster=prod&sort=occurrences");
    expect(severityHref(q, "LOW")).toBe("/runtime?severity=LOW&cluster=prod&sort=occurrences");
    expect(runtimeChips(parseRuntimeQuery("status=ALL&technique=T1059")).map((c) => [c.label, c.removeHref])).toEqual([
      ["Status: any", "/runtime?technique=T1059"],
      ["Technique: T1059", "/runtime?status=ALL"],
    ]);
  });
});

describe("runtime list", () => {
  it("renders aggregates with a row header link, place, techniques, events and sortable headers", () => {
    const q = parseRuntimeQuery("");
    const html = renderToStaticMarkup(<RuntimeTable rows={[item(), item({ id: "rf2", workload: null, workloadName: "tool", cluster: "edge", clusterId: null, source: "bulwark-baseline", process: "/usr/bin/curl" })]} q={q} />);
    expect(html).toContain('data-testid="runtime-table"');
    expect(html).toContain('<th scope="row"');
    expect(html).toContain('href="/runtime/rf1"');
    expect(html).toContain('href="/workloads/w1"');
    expect(html).toContain("Deployment/api</a>");
    expect(html).toContain("tool <span class=\"text-muted\">(not in inventory)</span>");
    expect(html).toContain("Process baseline");
    expect(html).toContain("/usr/bin/curl");
    expect(html).toContain("Command and Scripting Interpreter");
    expect(html).toContain('href="/runtime?technique=T1059"');
    expect(html).toContain("1,234");
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('href="/runtime?sort=occurrences"');
    expect(html).toContain("2026-11-29 11:59 UTC");
    // Every column header has a scope.
    expect(html.match(/<th scope="col"/g)?.length).toBe(8);
  });

  it("shows counts per severity as links, active filters as removable chips, and a labelled filter form", () => {
    const q = parseRuntimeQuery("severity=CRITICAL&cluster=prod");
    const counts = renderToStaticMarkup(<SeverityCounts counts={{ CRITICAL: 2, HIGH: 5, MEDIUM: 0, LOW: 1, INFO: 0, total: 8 }} q={q} />);
    expect(counts).toContain('data-testid="runtime-count-CRITICAL"');
    expect(counts).toContain('aria-current="true"');
    expect(counts).toMatch(/Critical <span[^>]*>2<\/span>/);
    expect(counts).toContain("8 aggregates in all");
    const filters = renderToStaticMarkup(<RuntimeFilters q={q} clusters={["prod", "edge"]} />);
    expect(filters).toContain('role="search"');
    for (const id of ["rt-q", "rt-cluster", "rt-namespace", "rt-rule", "rt-technique", "rt-source", "rt-status", "rt-since"]) expect(filters).toContain(`for="${id}"`);
    expect(filters).toContain('<input type="hidden" name="severity" value="CRITICAL"/>');
    expect(filters).toContain('aria-label="Remove filter Cluster: prod"');
    expect(filters).toContain('<option value="edge">');
  });

  it("says why the list is empty", () => {
    expect(renderToStaticMarkup(<RuntimeEmpty filtered={false} orgHasRuntime={false} />)).toContain('data-reason="no-data"');
    const filtered = renderToStaticMarkup(<RuntimeEmpty filtered orgHasRuntime />);
    expect(filtered).toContain("No runtime findings match these filters");
    expect(filtered).toContain('href="/runtime?status=ALL"');
  });

  it("shows a live indicator with its time in text and a pause toggle", () => {
    const html = renderToStaticMarkup(<LiveRefresh signature="s1" renderedAt="2026-11-29T12:34:56.000Z" />);
    expect(html).toContain('data-testid="runtime-live"');
    expect(html).toContain('data-state="live"');
    expect(html).toContain("Live · updated <time");
    expect(html).toContain("12:34:56 UTC");
    expect(html).toContain('aria-pressed="false"');
    expect(html).toContain("Pause live updates");
    // The pulse only moves for readers who allow motion.
    expect(html).toContain("motion-safe:animate-pulse");
    expect(html).toContain('role="status"');
    expect(clockOf("not a date")).toBe("—");
  });
});

describe("runtime detail", () => {
  it("renders the detection, the place with workload link, the event spread and the exception", () => {
    const f = detail({ exception: { id: "ex1", kind: "RISK_ACCEPTED", status: "APPROVED", state: "approved", reason: "x", expiresAt: new Date("2026-12-06T00:00:00Z") } });
    const facts = renderToStaticMarkup(<RuntimeFacts f={f} />);
    expect(facts).toContain('href="/runtime?status=ALL&amp;rule=Terminal+shell+in+container"');
    expect(facts).toContain("Execution (TA0002)");
    expect(facts).toContain("1,234");
    const where = renderToStaticMarkup(<RuntimeWhere f={f} />);
    expect(where).toContain('data-testid="runtime-workload-link"');
    expect(where).toContain('href="/clusters/c1"');
    expect(where).toContain("node-1");
    const unresolved = renderToStaticMarkup(<RuntimeWhere f={detail({ workload: null, workloadName: "tool", clusterId: null, cluster: "edge" })} />);
    expect(unresolved).toContain('data-testid="runtime-workload-unresolved"');
    expect(unresolved).toContain("(not in the inventory)");
    const spread = renderToStaticMarkup(<EventSpread f={f} />);
    expect(spread).toContain('data-testid="runtime-by-pod"');
    expect(spread).toContain("(not named)");
    expect(spread).toContain("of 3 events");
    const ex = renderToStaticMarkup(<RuntimeException f={f} />);
    expect(ex).toContain('href="/exceptions/ex1"');
    expect(ex).toContain("expires 2026-12-06 00:00 UTC");
    expect(renderToStaticMarkup(<RuntimeException f={detail()} />)).toBe("");
    const anomaly = renderToStaticMarkup(<RuntimeFacts f={detail({ source: "bulwark-baseline", process: "/usr/bin/curl", baselineId: "b1" })} />);
    expect(anomaly).toContain('href="/runtime/baselines/b1"');
  });

  it("renders raw events with expandable fields and keyset paging", () => {
    const ev: RuntimeEventItem = {
      id: "e1",
      time: new Date("2026-11-29T11:59:00Z"),
      receivedAt: new Date("2026-11-29T11:59:01Z"),
      rule: "Terminal shell in container",
      priority: "Warning",
      source: "syscall",
      namespace: "payments",
      pod: "api-1",
      container: "api",
      process: "/bin/sh",
      output: "A shell <b>spawned</b>",
      fields: { "proc.name": "sh", "k8s.pod.name": "api-1" },
      tags: ["T1059", "container"],
    };
    const html = renderToStaticMarkup(<EventsTable events={[ev]} findingId="rf1" nextCursor="cur 1" paged />);
    expect(html).toContain('data-testid="runtime-events"');
    expect(html).toContain("<details");
    expect(html).toContain("Fields and tags (2)");
    expect(html).toContain("&quot;proc.name&quot;: &quot;sh&quot;");
    // Output is text, never markup.
    expect(html).toContain("A shell &lt;b&gt;spawned&lt;/b&gt;");
    expect(html).toContain('href="/runtime/rf1?events=cur%201#events"');
    expect(html).toContain("Newest events");
    expect(html).toContain('<th scope="row"');
    expect(renderToStaticMarkup(<EventsTable events={[]} findingId="rf1" nextCursor={null} paged={false} />)).toContain('data-testid="runtime-events-none"');
  });

  it("offers suppression presets with their scopes, disabling the ones the aggregate cannot fill", () => {
    const options: SuppressionOption[] = [
      { preset: "workload", label: "This rule in this workload", scope: { rule: "Terminal shell in container", cluster: "prod", namespace: "payments", workload: "api", kind: "Deployment" }, why: null },
      { preset: "namespace", label: "This rule in this namespace", scope: { rule: "Terminal shell in container", cluster: "prod", namespace: "payments" }, why: null },
      { preset: "image", label: "This rule for this image repository", scope: null, why: "The events named no image" },
    ];
    const analyst = renderToStaticMarkup(<SuppressForm findingId="rf1" options={options} isAdmin={false} />);
    expect(analyst).toContain('aria-label="Suppress this runtime finding"');
    expect(analyst).toContain("rule = Terminal shell in container, cluster = prod, namespace = payments, workload = api, kind = Deployment");
    expect(analyst).toMatch(/<input[^>]*disabled=""[^>]*data-testid="suppress-preset-image"/);
    expect(analyst).not.toMatch(/<input[^>]*disabled=""[^>]*data-testid="suppress-preset-workload"/);
    expect(analyst).toContain("Not available: The events named no image");
    expect(analyst).toContain('for="suppress-days"');
    expect(analyst).toContain('max="90"');
    expect(analyst).toContain('value="7"');
    expect(analyst).toContain('for="suppress-reason"');
    expect(analyst).toContain("Request suppression");
    expect(analyst).toContain("An admin approves the exception");
    const admin = renderToStaticMarkup(<SuppressForm findingId="rf1" options={options} isAdmin />);
    expect(admin).toContain(">Suppress</button>");
    expect(admin).toContain("approved at once");
    expect(scopeText({ rule: "r", cluster: undefined })).toBe("rule = r");
  });

  it("offers resolving with a required, labelled reason", () => {
    const html = renderToStaticMarkup(<ResolveForm findingId="rf1" />);
    expect(html).toContain('aria-label="Resolve this runtime finding"');
    expect(html).toContain('for="resolve-reason"');
    expect(html).toMatch(/<input[^>]*id="resolve-reason"[^>]*required=""/);
    expect(html).toContain(">Resolve</button>");
  });
});

describe("baselines", () => {
  it("lists baselines with status in text, counts and anomaly links", () => {
    const html = renderToStaticMarkup(
      <BaselinesTable rows={[baseline(), baseline({ id: "b2", status: "LOCKED", lockedAt: new Date("2026-11-28T12:00:00Z"), lockedBy: "ana@acme.io", openAnomalies: 3, container: "" })]} now={now} />,
    );
    expect(html).toContain('data-testid="baselines-table"');
    expect(html).toContain('href="/runtime/baselines/b1"');
    expect(html).toContain("Learning");
    expect(html).toContain("in 3 h");
    expect(html).toContain("Locked");
    expect(html).toContain("by ana@acme.io");
    expect(html).toContain("(unnamed container)");
    expect(html).toContain('href="/runtime?source=bulwark-baseline&amp;workload=w1"');
    expect(html).toContain('aria-label="3 open anomalies of api"');
    expect(html.match(/<th scope="col"/g)?.length).toBe(6);
    expect(untilText(90_000)).toBe("2 min");
    expect(untilText(3 * 86_400_000)).toBe("3 d");
  });

  it("renders one baseline's facts, processes and admin controls", () => {
    const facts = renderToStaticMarkup(<BaselineFacts b={baseline({ status: "LOCKED", lockedAt: new Date("2026-11-28T12:00:00Z"), openAnomalies: 1 })} now={now} />);
    expect(facts).toContain('href="/workloads/w1"');
    expect(facts).toContain("(learning window ended)");
    expect(facts).toContain("1 open anomaly");
    expect(renderToStaticMarkup(<ProcessList processes={["/bin/sh"]} />)).toContain('aria-label="1 allowed processes"');
    expect(renderToStaticMarkup(<ProcessList processes={[]} />)).toContain('data-testid="baseline-processes-none"');
    const learning = renderToStaticMarkup(<BaselineControls id="b1" status="LEARNING" label="Deployment/api (api)" />);
    expect(learning).toContain('data-testid="baseline-lock"');
    expect(learning).toContain('aria-label="Reset the baseline of Deployment/api (api)"');
    expect(learning).toContain('for="baseline-process"');
    expect(renderToStaticMarkup(<BaselineControls id="b1" status="LOCKED" label="x" />)).not.toContain('data-testid="baseline-lock"');
  });
});

describe("runtime settings", () => {
  it("is editable for admins and read-only for others, with the values in words", () => {
    const admin = renderToStaticMarkup(<RuntimeSettingsForm values={{ baselineLearningMinutes: 1440, alertDedupMinutes: 60 }} canEdit />);
    expect(admin).toContain('for="rs-baselineLearningMinutes"');
    expect(admin).toContain("= 1 d");
    expect(admin).toContain("= 1 h");
    expect(admin).toContain('data-testid="runtime-settings-save"');
    const viewer = renderToStaticMarkup(<RuntimeSettingsForm values={{ baselineLearningMinutes: 90, alertDedupMinutes: 60 }} canEdit={false} />);
    expect(viewer).toContain('data-testid="runtime-settings-readonly"');
    expect(viewer).toContain("readOnly");
    expect(viewer).not.toContain("runtime-settings-save");
    expect(minutesText(90)).toBe("90 min");
  });
});
