import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BundleCard } from "./bundle-card.tsx";
import { DecisionFiltersForm } from "./decision-filters-form.tsx";
import { DecisionsTable } from "./decisions-table.tsx";
import { toDecisionRow } from "./decisions.ts";
import { PointsTable } from "./points-table.tsx";
import { PublicKeyCard } from "./public-key-card.tsx";

// Server-rendered markup of the enforcement components: test ids, accessible text and states that do
// not rely on colour.

const now = new Date("2026-11-29T12:00:00.000Z");

describe("enforcement points table", () => {
  it("renders health and drift as text with row headers and test ids", () => {
    const html = renderToStaticMarkup(
      <PointsTable
        currentVersion={7}
        now={now}
        points={[
          { id: "p1", name: "prod-eu-enforcer", cluster: { id: "c1", name: "prod-eu" }, agentVersion: "0.1.0", bundleVersion: 7, lastHeartbeatAt: new Date(now.getTime() - 30_000), excludedNamespaces: ["kube-system"] },
          { id: "p2", name: "staging-enforcer", cluster: null, agentVersion: null, bundleVersion: 5, lastHeartbeatAt: new Date(now.getTime() - 5 * 60_000), excludedNamespaces: [] },
          { id: "p3", name: "new-enforcer", cluster: null, agentVersion: "0.1.0", bundleVersion: null, lastHeartbeatAt: null, excludedNamespaces: [] },
        ]}
      />,
    );
    expect(html).toContain('data-testid="enforcement-points-table"');
    expect(html).toMatch(/data-testid="point-row-prod-eu-enforcer" data-health="healthy" data-drift="current"/);
    expect(html).toMatch(/data-testid="point-row-staging-enforcer" data-health="stale" data-drift="behind"/);
    expect(html).toMatch(/data-testid="point-row-new-enforcer" data-health="never" data-drift="no-bundle"/);
    for (const text of ["Healthy", "Up to date", "Stale", "2 versions behind", "Never seen", "No bundle yet", "kube-system", "30 s ago", "5 min ago", "Not linked yet"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('<th scope="row"');
    expect(html.match(/<th scope="col"/g)).toHaveLength(7);
    expect(html).toContain('href="/enforcement/decisions?cluster=prod-eu"');
  });
});

describe("bundle and key cards", () => {
  it("shows the bundle version and counts, and a failure as an alert", () => {
    const html = renderToStaticMarkup(
      <BundleCard
        bundle={{ version: 12, createdAt: "2026-11-29T11:00:00.000Z", contentHash: "sha256:abc", keyId: "ed25519-0123456789abcdef", policies: 17, exceptions: 2, trustedRegistries: 1, allowedDeployerRules: 0 }}
      />,
    );
    expect(html).toMatch(/data-testid="bundle-version">v12</);
    expect(html).toContain("sha256:abc");
    expect(html).toContain("17 enabled");
    expect(html).toContain("none (policy off)");
    expect(renderToStaticMarkup(<BundleCard bundle={null} />)).toContain('role="alert"');
  });

  it("shows the PEM, key id, fingerprint and the public URL", () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n";
    const html = renderToStaticMarkup(
      <PublicKeyCard signingKey={{ keyId: "ed25519-0123456789abcdef", algorithm: "Ed25519", publicKey: pem, createdAt: "2026-11-29T10:00:00.000Z", fingerprint: { hex: "ab".repeat(32), short: "abab:abab:abab:abab:abab:abab:abab:abab" } }} />,
    );
    expect(html).toMatch(/<pre[^>]*data-testid="public-key"[^>]*>-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----<\/pre>/);
    expect(html).toContain("ed25519-0123456789abcdef");
    expect(html).toContain("abab:abab:abab:abab:abab:abab:abab:abab");
    expect(html).toContain('href="/api/v1/enforcement/public-key"');
  });
});

describe("decisions", () => {
  const base = {
    uid: "uid-1",
    decidedAt: now,
    receivedAt: now,
    cluster: { name: "prod-eu" },
    enforcementPoint: null,
    namespace: "shop",
    kind: "Pod",
    name: "web-1",
    operation: "CREATE",
    allowed: false,
    warned: false,
    policies: ["no-privileged"],
    message: `denied: ${"x".repeat(200)}`,
    userInfo: { username: "alice" },
    breakGlass: null,
  };

  it("renders results as text, truncates messages with the full text in a title, and offers a details toggle", () => {
    const rows = [
      toDecisionRow({ ...base, id: "d1" }),
      toDecisionRow({ ...base, id: "d2", uid: null, allowed: true, breakGlass: { reason: "outage", expiresAt: "2026-11-29T13:00:00Z", policies: ["no-privileged"] } }),
    ];
    const html = renderToStaticMarkup(<DecisionsTable rows={rows} />);
    expect(html).toContain('data-testid="decisions-table"');
    expect(html).toMatch(/data-testid="decision-row-uid-1" data-result="denied"/);
    expect(html).toMatch(/data-testid="decision-row-d2" data-result="break-glass"/);
    expect(html).toContain("Denied");
    expect(html).toContain("Break-glass");
    expect(html).toContain(`title="${base.message}"`);
    expect(html).toContain("…");
    expect(html).toContain('aria-expanded="false"');
    expect(html).toContain('aria-label="Show details for Pod shop/web-1"');
    expect(html).toContain('href="/enforcement/decisions?policy=no-privileged"');
  });

  it("keeps the current filters in a labelled GET form", () => {
    const html = renderToStaticMarkup(<DecisionFiltersForm filters={{ cluster: "prod-eu", result: "denied", breakGlass: true }} clusters={["prod-eu"]} policies={["no-privileged"]} />);
    expect(html).toContain('method="get"');
    expect(html).toContain('value="prod-eu"');
    expect(html).toMatch(/<option value="denied" selected="">/);
    expect(html).toMatch(/name="breakGlass" checked="" value="1"/);
    for (const id of ["f-cluster", "f-namespace", "f-result", "f-policy"]) expect(html).toContain(`for="${id}"`);
    expect(html).toContain(">Clear<");
  });
});
