import { ATTACK_CONTAINERS_MATRIX, type AttackMatrixView, type PracticeStat, type PssStat } from "@bulwark/core";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AttackMatrix } from "./attack-matrix.tsx";
import { ClusterFilter } from "./cluster-filter.tsx";
import { heatLevel, percent, practiceHref, pssHref, techniqueHref } from "./links.ts";
import { PracticeCards } from "./practice-cards.tsx";
import { PssClusterTable, PssNamespaceTable } from "./pss-tables.tsx";

// Server-rendered markup of the compliance components: accessible names, links into the filtered
// lists, and states written as text (never colour alone).

const stat = (practice: PracticeStat["practice"], compliant: number, total: number, extra: Partial<PracticeStat> = {}): PracticeStat => ({
  practice,
  label: practice,
  compliant,
  total,
  unevaluated: 0,
  ratio: total > 0 ? compliant / total : null,
  notConfigured: false,
  ...extra,
});

const pss = (baseline: number, restricted: number, privileged: number, unevaluated: number): PssStat => {
  const evaluated = baseline + privileged;
  return { baseline, restricted, privileged, unevaluated, evaluated, baselineRatio: evaluated ? baseline / evaluated : null, restrictedRatio: evaluated ? restricted / evaluated : null };
};

function matrix(counts: Record<string, [number, "CRITICAL" | "HIGH" | "MEDIUM" | "LOW"]>): AttackMatrixView {
  const count = (id: string) => ({ id, open: counts[id]?.[0] ?? 0, maxSeverity: counts[id]?.[1] ?? null });
  return {
    version: "16",
    tactics: ATTACK_CONTAINERS_MATRIX.map((t) => ({
      id: t.id,
      name: t.name,
      techniques: t.techniques.map((x) => ({ ...count(x.id), name: x.name, enterprise: x.enterprise === true, subTechniques: x.subTechniques.map((s) => ({ ...count(s.id), name: s.name })) })),
    })),
    other: [{ id: "T1105", open: 4, maxSeverity: "LOW" }],
  };
}

describe("links and formatting", () => {
  it("builds the workload and findings URLs of the shared contracts", () => {
    expect(practiceHref("nonRoot", null)).toBe("/workloads?practice=nonRoot&compliant=false");
    expect(practiceHref("scanning", "prod eu")).toBe("/workloads?practice=scanning&compliant=false&cluster=prod+eu");
    expect(pssHref("prod", "shop")).toBe("/workloads?cluster=prod&namespace=shop&pssLevel=privileged");
    expect(techniqueHref({ id: "T1552", subTechniques: [{ id: "T1552.001", name: "", open: 0, maxSeverity: null }] }, "prod")).toBe("/findings?technique=T1552&technique=T1552.001&cluster=prod");
    expect([percent(null), percent(0), percent(0.996), percent(1), percent(2 / 3)]).toEqual(["—", "0%", "99%", "100%", "66%"]);
    expect([0, 1, 9, 10, 100, 5000].map((n) => heatLevel(n).level)).toEqual([0, 1, 1, 2, 3, 4]);
  });
});

describe("practice cards", () => {
  it("shows percent with numerator and denominator, links to the failing workloads, and says when trusted images are not configured", () => {
    const html = renderToStaticMarkup(
      <PracticeCards
        cluster="prod"
        practices={[
          stat("trustedImages", 0, 10, { unevaluated: 10, ratio: null, notConfigured: true }),
          stat("scanning", 7, 10),
          stat("nonRoot", 5, 10, { unevaluated: 2 }),
          stat("readOnlyRootFs", 10, 10),
          stat("enforcement", 0, 10),
        ]}
      />,
    );
    expect(html).toContain('data-testid="practice-trustedImages"');
    expect(html).toContain("Not configured");
    expect(html).toContain("70%");
    expect(html).toContain("7 of 10 workloads");
    expect(html).toContain("5 of 10 workloads, 2 not evaluated yet");
    expect(html).toContain('href="/workloads?practice=scanning&amp;compliant=false&amp;cluster=prod"');
    expect(html).toContain("3 not compliant");
    expect(html).not.toContain("practice=readOnlyRootFs");
    expect(html).not.toContain("practice=trustedImages");
    expect(html).toContain('href="/workloads?practice=enforcement&amp;compliant=false&amp;cluster=prod"');
  });
});

describe("PSS tables", () => {
  it("renders pass rates with counts, row headers and links to the workloads failing baseline", () => {
    const html = renderToStaticMarkup(<PssClusterTable clusters={[{ name: "prod", workloads: 5, pss: pss(3, 2, 1, 1) }, { name: "idle", workloads: 0, pss: pss(0, 0, 0, 0) }]} />);
    expect(html).toContain('data-testid="pss-cluster-prod"');
    expect(html).toContain("75%");
    expect(html).toContain("(3/4)");
    expect(html).toContain("50%");
    expect(html).toContain('href="/workloads?cluster=prod&amp;pssLevel=privileged"');
    expect(html).toContain("—");
    expect(html).toContain('<th scope="row"');
    const ns = renderToStaticMarkup(<PssNamespaceTable namespaces={[{ id: "n1", cluster: "prod", name: "shop", workloads: 2, pss: pss(1, 1, 1, 0) }]} />);
    expect(ns).toContain('href="/workloads?cluster=prod&amp;namespace=shop&amp;pssLevel=privileged"');
    expect(ns).toContain('data-testid="pss-namespace-prod-shop"');
  });
});

describe("ATT&CK matrix", () => {
  it("renders tactics as headed lists, cells with accessible names and findings links, a text legend, and ids without a cell", () => {
    const html = renderToStaticMarkup(<AttackMatrix cluster={null} matrix={matrix({ T1610: [3, "HIGH"], T1552: [12, "CRITICAL"], "T1552.001": [12, "CRITICAL"] })} />);
    expect(html.match(/<h3 id="tactic-TA\d{4}"/g)).toHaveLength(9);
    expect(html).toContain('title="T1610 Deploy Container: 3 open findings, highest severity high"');
    expect(html).toContain('title="T1611 Escape to Host: 0 open findings"');
    expect(html).toContain('title="T1552.001 Credentials In Files: 12 open findings, highest severity critical"');
    expect(html).toContain('href="/findings?technique=T1610"');
    expect(html).toContain('href="/findings?technique=T1552&amp;technique=T1552.001&amp;technique=T1552.007"');
    expect(html).toMatch(/data-testid="technique-T1610" data-open="3" data-heat="1"/);
    expect(html).toMatch(/data-testid="technique-T1552" data-open="12" data-heat="2"/);
    expect(html).toContain("also count in their parent technique&#x27;s cell");
    expect(html).toContain("few (1–9)");
    expect(html).toContain("very many (1,000 or more)");
    expect(html).toContain('data-testid="attack-other"');
    expect(html).toContain('title="T1105: 4 open findings"');
    expect(html).toContain("(Enterprise)");
  });

  it("keeps the cluster filter in every findings link", () => {
    const html = renderToStaticMarkup(<AttackMatrix cluster="prod" matrix={matrix({})} />);
    expect(html).toContain('href="/findings?technique=T1610&amp;cluster=prod"');
  });
});

describe("cluster filter", () => {
  it("is a GET form with the current cluster selected and a way back to all clusters", () => {
    const html = renderToStaticMarkup(<ClusterFilter clusters={["prod", "stage"]} current="stage" />);
    expect(html).toContain('method="get"');
    expect(html).toContain('<label for="compliance-cluster"');
    expect(html).toContain('<option value="stage" selected="">stage</option>');
    expect(html).toContain('href="/compliance"');
    expect(renderToStaticMarkup(<ClusterFilter clusters={[]} current={null} />)).not.toContain("Clear");
  });
});
