import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConnectorStatus, PssLevels } from "./cluster-detail.tsx";
import { ClustersTable } from "./clusters-table.tsx";
import { EmptyClusters } from "./empty-clusters.tsx";
import { FiltersForm } from "./filters-form.tsx";
import { ImageFacts, PackagesTable, RunsIn } from "./image-detail.tsx";
import { ImagesTable } from "./images-table.tsx";
import { NamespacesTable } from "./namespaces-table.tsx";
import { Pager } from "./pager.tsx";
import { History, SpecYaml } from "./workload-activity.tsx";
import { ContainersTable, PolicyResults, RiskExplained, securitySummary } from "./workload-detail.tsx";
import { WorkloadsTable } from "./workloads-table.tsx";

// Server-rendered markup of the inventory components: test ids, real tables with header scopes,
// links to the filtered findings, and states as text.

const now = new Date("2026-11-29T12:00:00.000Z");
const counts = (c = 0, h = 0, total = c + h) => ({ CRITICAL: c, HIGH: h, MEDIUM: 0, LOW: 0, INFO: 0, total });
const table = (path: string, column: string, asc: readonly string[]) => ({ path, params: { q: "a" }, sort: { column, dir: "desc" as const }, ascByDefault: asc });

describe("lists", () => {
  it("clusters: sortable headers, staleness as text, counts linking to findings", () => {
    const html = renderToStaticMarkup(
      <ClustersTable
        now={now}
        table={table("/clusters", "critical", ["name"])}
        rows={[
          { id: "c1", name: "prod", provider: "eks", kubernetesVersion: "1.31", lastReportAt: new Date(now.getTime() - 60_000), stale: false, namespaces: 3, workloads: 12, enforcementPoints: 1, openFindings: counts(2, 1) },
          { id: "c2", name: "old", provider: null, kubernetesVersion: null, lastReportAt: new Date(now.getTime() - 3 * 3600_000), stale: true, namespaces: 0, workloads: 0, enforcementPoints: 0, openFindings: counts() },
        ]}
      />,
    );
    expect(html).toContain('data-testid="clusters-table"');
    expect(html.match(/data-testid="clusters-row"/g)).toHaveLength(2);
    expect(html.match(/<th scope="col"/g)).toHaveLength(7);
    expect(html.match(/<th scope="row"/g)).toHaveLength(2);
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('href="/clusters?q=a&amp;sort=critical&amp;dir=asc"');
    expect(html).toContain('href="/findings?cluster=prod&amp;severity=CRITICAL"');
    expect(html).toContain('href="/findings?cluster=prod"');
    expect(html).toContain('href="/workloads?cluster=prod"');
    expect(html).toContain('href="/namespaces?cluster=prod"');
    expect(html).toContain("Stale");
    expect(html).toContain("Reporting");
    expect(html).toContain('data-stale="true"');
  });

  it("namespaces, workloads and images render rows with their links", () => {
    const ns = renderToStaticMarkup(
      <NamespacesTable now={now} table={table("/namespaces", "name", ["name", "cluster"])} rows={[{ id: "n1", name: "shop", cluster: { id: "c1", name: "prod" }, workloads: 2, lastSeen: now, openFindings: counts(1) }]} />,
    );
    expect(ns).toContain('data-testid="namespaces-table"');
    expect(ns).toContain('data-testid="namespaces-row"');
    expect(ns).toContain('href="/findings?cluster=prod&amp;namespace=shop"');
    expect(ns).toContain('href="/workloads?cluster=prod&amp;namespace=shop"');

    const wl = renderToStaticMarkup(
      <WorkloadsTable
        now={now}
        table={table("/workloads", "risk", ["name"])}
        rows={[
          { id: "w1", kind: "Deployment", name: "api", cluster: { id: "c1", name: "prod" }, namespace: { id: "n1", name: "shop" }, riskScore: 82, pssLevel: "privileged", exposed: true, containers: 1, lastSeen: now, deleted: false, openFindings: counts(3) },
          { id: "w2", kind: "Job", name: "batch", cluster: { id: "c1", name: "prod" }, namespace: { id: "n1", name: "shop" }, riskScore: 5, pssLevel: null, exposed: false, containers: 1, lastSeen: now, deleted: true, openFindings: counts() },
        ]}
      />,
    );
    expect(wl).toContain('data-testid="workloads-table"');
    expect(wl.match(/data-testid="workloads-row"/g)).toHaveLength(2);
    expect(wl).toContain('href="/workloads/w1"');
    expect(wl).toContain('href="/findings?workload=w1&amp;severity=CRITICAL"');
    for (const text of ["Privileged", "Not evaluated", "High", "deleted", "Yes"]) expect(wl).toContain(text);

    const im = renderToStaticMarkup(
      <ImagesTable
        now={now}
        table={table("/images", "critical", ["repository"])}
        rows={[
          {
            id: "i1",
            digest: "sha256:abc",
            registryHost: "ghcr.io",
            repository: "acme/api",
            tags: ["1.0"],
            osName: null,
            signatureVerified: true,
            malwareVerdict: "malicious",
            lastSeen: now,
            lastScannedAt: null,
            running: true,
            workloads: 2,
            fixableCritical: 1,
            openFindings: counts(1),
          },
        ]}
      />,
    );
    expect(im).toContain('data-testid="images-table"');
    expect(im).toContain('data-testid="images-row"');
    expect(im).toContain('href="/findings?image=i1&amp;severity=CRITICAL&amp;fixable=true"');
    for (const text of ["Verified", "Malicious", "2 workloads", "never"]) expect(im).toContain(text);
  });

  it("filters are a labelled GET form keeping the sort; the pager links the next page; empty clusters explain the token flow", () => {
    const form = renderToStaticMarkup(
      <FiltersForm path="/workloads" label="Filter workloads" testId="wf" params={{ kind: "Job", sort: "name" }} fields={[{ name: "kind", label: "Kind", type: "select", options: [{ value: "Job", label: "Job" }] }, { name: "q", label: "Name" }]} />,
    );
    expect(form).toContain('method="get"');
    expect(form).toContain('role="search"');
    expect(form).toContain('<input type="hidden" name="sort" value="name"/>');
    expect(form).toMatch(/<option value="Job" selected="">/);
    expect(form).toContain('for="f-q"');
    expect(form).toContain(">Clear<");
    const pager = renderToStaticMarkup(<Pager path="/images" params={{ q: "x", cursor: "c1" }} nextCursor="c2" shown={50} noun="images" />);
    expect(pager).toContain('href="/images?q=x"');
    expect(pager).toContain('href="/images?q=x&amp;cursor=c2"');
    const empty = renderToStaticMarkup(<EmptyClusters />);
    expect(empty).toContain('data-testid="clusters-empty"');
    expect(empty).toContain('href="/connectors"');
    expect(empty).toContain("ingest");
  });
});

describe("details", () => {
  it("workload: YAML spec with a copy button, policy results or 'not evaluated yet', risk factors, containers, history", () => {
    const spec = renderToStaticMarkup(<SpecYaml yaml={"kind: Deployment\nmetadata:\n  name: api\n"} name="api" />);
    expect(spec).toContain('data-testid="workload-spec"');
    expect(spec).toMatch(/<pre[^>]*>kind: Deployment\nmetadata:\n {2}name: api\n<\/pre>/);
    expect(spec).toContain("Copy YAML");

    expect(renderToStaticMarkup(<PolicyResults results={null} evaluatedAt={null} />)).toContain("Not evaluated yet");
    const results = renderToStaticMarkup(
      <PolicyResults
        evaluatedAt={now}
        results={[
          { policy: "read-only-root-fs", title: "Read-only root FS", severity: "LOW", category: "hardening", result: "pass" },
          { policy: "no-privileged", title: "No privileged", severity: "HIGH", category: "pss", result: "fail", message: "privileged: true" },
        ]}
      />,
    );
    expect(results.indexOf("no-privileged")).toBeLessThan(results.indexOf("read-only-root-fs"));
    expect(results).toContain("1 failing");
    expect(results).toContain('data-result="fail"');
    expect(results).toContain('href="/policies/no-privileged"');

    const risk = renderToStaticMarkup(<RiskExplained score={72} factors={[{ key: "exposure", points: 10, reason: "Exposed by a LoadBalancer" }]} />);
    expect(risk).toContain("+10");
    expect(risk).toContain("Exposed by a LoadBalancer");
    expect(risk).toContain('aria-label="Risk score 72 of 100"');

    expect(securitySummary({ privileged: true, capabilities: { add: ["NET_ADMIN"] } })).toEqual(["privileged", "adds NET_ADMIN"]);
    const containers = renderToStaticMarkup(
      <ContainersTable
        workload={{
          containers: [
            {
              id: "k1",
              orgId: "o",
              workloadId: "w1",
              name: "app",
              type: "REGULAR",
              imageRef: "ghcr.io/acme/api:1.0",
              imageId: "i1",
              securityContext: { runAsNonRoot: true },
              image: { id: "i1", digest: "sha256:abc", registryHost: "ghcr.io", repository: "acme/api", tags: ["1.0"], lastScannedAt: null, signatureVerified: null, malwareVerdict: null },
              openFindings: counts(1),
            },
          ],
        }}
      />,
    );
    expect(containers).toContain('href="/images/i1"');
    expect(containers).toContain("runAsNonRoot");
    expect(containers).toContain('href="/findings?image=i1&amp;severity=CRITICAL"');

    const history = renderToStaticMarkup(
      <History
        workload={{
          firstSeen: now,
          lastSeen: now,
          createdInCluster: null,
          deleted: false,
          deletedAt: null,
          admissionDecisions: [{ id: "d1", decidedAt: now, operation: "CREATE", allowed: false, warned: false, policies: ["no-privileged"], message: null, breakGlass: null }],
        }}
      />,
    );
    expect(history).toContain("Denied");
    expect(history).toContain("No (live)");
  });

  it("image: packages with paging, trust, runs", () => {
    const pk = renderToStaticMarkup(
      <PackagesTable imageId="i1" packageQ="ssl" cursor="p0" packages={{ total: 3, nextCursor: "p2", items: [{ id: "p1", ecosystem: "debian", name: "openssl", version: "3.0", purl: null, license: null, srcName: null, srcVersion: null }] }} />,
    );
    expect(pk).toContain('data-testid="image-packages"');
    expect(pk).toContain("3 packages");
    expect(pk).toContain('href="/images/i1?packageQ=ssl&amp;packageCursor=p2"');
    expect(pk).toContain('href="/images/i1?packageQ=ssl"');
    const base = { signatureVerified: false, malwareVerdict: null, lastScannedAt: null, matchedAt: null, osName: "debian 12", firstSeen: now, lastSeen: now, digest: "sha256:abc", tags: [] };
    expect(renderToStaticMarkup(<ImageFacts image={{ ...base, trust: { registry: null, trustedRegistries: [], trusted: null } }} />)).toContain("Not configured");
    const untrusted = renderToStaticMarkup(<ImageFacts image={{ ...base, trust: { registry: null, trustedRegistries: ["ghcr.io/acme"], trusted: false } }} />);
    expect(untrusted).toContain("Not from a trusted registry");
    expect(untrusted).toContain("Not verified");
    expect(untrusted).toContain("Never scanned");
    const runs = renderToStaticMarkup(
      <RunsIn runsIn={{ workloadCount: 1, clusters: [{ id: "c1", name: "prod", workloads: 1 }], workloads: [{ id: "w1", kind: "Deployment", name: "api", namespace: "shop", cluster: { id: "c1", name: "prod" }, containers: ["app"] }] }} />,
    );
    expect(runs).toContain('href="/workloads/w1"');
    expect(runs).toContain('href="/clusters/c1"');
  });

  it("cluster: connector staleness and PSS levels linking to filtered workloads", () => {
    const stale = renderToStaticMarkup(<ConnectorStatus now={now} cluster={{ name: "prod", stale: true, lastReportAt: new Date(now.getTime() - 2 * 3600_000), staleAfterMs: 3600_000 }} />);
    expect(stale).toContain('data-stale="true"');
    expect(stale).toContain("stopped reporting");
    expect(stale).toContain("after an hour");
    expect(stale).toContain('href="/connectors"');
    const pss = renderToStaticMarkup(<PssLevels cluster="prod" levels={{ restricted: 1, baseline: 1, privileged: 2, unevaluated: 0 }} />);
    expect(pss).toContain('href="/workloads?cluster=prod&amp;pssLevel=privileged"');
    expect(pss).toContain("50%");
  });
});
