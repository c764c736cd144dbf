import { BUILTIN_POLICIES } from "@bulwark/policy";
import { describe, expect, it } from "vitest";
import { FALCO_RULE_TECHNIQUES, isTechniqueId, MISCONFIG_CHECK_TECHNIQUES, misconfigTechniques, SECRET_TECHNIQUES, TECHNIQUE_NAMES } from "../ingest/mitre.ts";
import { MALICIOUS_IMAGE_TECHNIQUE } from "../ingest/registry-images.ts";
import { ATTACK_CONTAINERS_IDS, ATTACK_CONTAINERS_MATRIX, parentTechniqueId } from "./attack-containers.ts";
import { buildAttackMatrix } from "./attack-counts.ts";

describe("ATT&CK for Containers matrix", () => {
  it("lists the nine tactics in matrix order with well-formed ids", () => {
    expect(ATTACK_CONTAINERS_MATRIX.map((t) => t.name)).toEqual([
      "Initial Access",
      "Execution",
      "Persistence",
      "Privilege Escalation",
      "Defense Evasion",
      "Credential Access",
      "Discovery",
      "Lateral Movement",
      "Impact",
    ]);
    for (const tactic of ATTACK_CONTAINERS_MATRIX) {
      expect(tactic.id).toMatch(/^TA\d{4}$/);
      for (const tech of tactic.techniques) {
        expect(tech.id).toMatch(/^T\d{4}$/);
        expect(tech.name.length).toBeGreaterThan(0);
        for (const sub of tech.subTechniques) {
          expect(sub.id).toMatch(/^T\d{4}\.\d{3}$/);
          expect(parentTechniqueId(sub.id)).toBe(tech.id);
        }
      }
    }
  });

  it("has no duplicate technique or sub-technique within a tactic", () => {
    for (const tactic of ATTACK_CONTAINERS_MATRIX) {
      const ids = tactic.techniques.flatMap((t) => [t.id, ...t.subTechniques.map((s) => s.id)]);
      expect(new Set(ids).size, tactic.name).toBe(ids.length);
    }
  });

  it("gives a technique the same name and sub-techniques under every tactic it appears in", () => {
    const seen = new Map<string, string>();
    for (const tech of ATTACK_CONTAINERS_MATRIX.flatMap((t) => t.techniques)) {
      const shape = JSON.stringify(tech);
      expect(seen.get(tech.id) ?? shape, tech.id).toBe(shape);
      seen.set(tech.id, shape);
    }
  });

  it("places the container-specific techniques under their ATT&CK tactics", () => {
    const under = (tactic: string) => ATTACK_CONTAINERS_MATRIX.find((t) => t.name === tactic)!.techniques.flatMap((t) => [t.id, ...t.subTechniques.map((s) => s.id)]);
    expect(under("Execution")).toEqual(expect.arrayContaining(["T1609", "T1610", "T1053.007", "T1204.003"]));
    expect(under("Privilege Escalation")).toEqual(expect.arrayContaining(["T1611", "T1068"]));
    expect(under("Defense Evasion")).toEqual(expect.arrayContaining(["T1612", "T1610", "T1562.001", "T1070", "T1036.005", "T1550.001"]));
    expect(under("Credential Access")).toEqual(expect.arrayContaining(["T1110", "T1528", "T1552.001", "T1552.007"]));
    expect(under("Discovery")).toContain("T1613");
    expect(under("Persistence")).toContain("T1525");
    expect(under("Impact")).toEqual(expect.arrayContaining(["T1496", "T1498", "T1499"]));
  });

  it("has a cell for every technique id Bulwark emits", () => {
    const emitted = new Set<string>([
      ...Object.keys(TECHNIQUE_NAMES),
      ...Object.values(FALCO_RULE_TECHNIQUES).flat(),
      ...Object.values(MISCONFIG_CHECK_TECHNIQUES).flat(),
      ...misconfigTechniques("custom", "Secrets in env of a privileged container running as root with host path"),
      ...SECRET_TECHNIQUES,
      MALICIOUS_IMAGE_TECHNIQUE,
      "T1610", // admission coverage findings
      ...BUILTIN_POLICIES.flatMap((p) => p.mitre),
    ]);
    expect(emitted.size).toBeGreaterThan(15);
    for (const id of emitted) {
      expect(isTechniqueId(id), id).toBe(true);
      expect(ATTACK_CONTAINERS_IDS.has(id), `${id} has no cell`).toBe(true);
    }
  });
});

describe("buildAttackMatrix", () => {
  it("fills every cell, including repeated techniques, and reports ids without a cell under other", () => {
    const counts = new Map([
      ["T1611", { id: "T1611", open: 3, maxSeverity: "HIGH" as const }],
      ["T1552", { id: "T1552", open: 2, maxSeverity: "CRITICAL" as const }],
      ["T1552.001", { id: "T1552.001", open: 2, maxSeverity: "CRITICAL" as const }],
      ["T1078", { id: "T1078", open: 1, maxSeverity: "LOW" as const }],
      ["T9999", { id: "T9999", open: 1, maxSeverity: "LOW" as const }],
      ["T9999.001", { id: "T9999.001", open: 1, maxSeverity: "LOW" as const }],
    ]);
    const m = buildAttackMatrix(counts);
    const cell = (tactic: string, id: string) => m.tactics.find((t) => t.name === tactic)!.techniques.find((t) => t.id === id)!;
    expect(cell("Privilege Escalation", "T1611")).toMatchObject({ open: 3, maxSeverity: "HIGH", name: "Escape to Host" });
    expect(cell("Initial Access", "T1078").open).toBe(1);
    expect(cell("Persistence", "T1078").open).toBe(1);
    const creds = cell("Credential Access", "T1552");
    expect(creds.open).toBe(2);
    expect(creds.subTechniques).toEqual([
      { id: "T1552.001", name: "Credentials In Files", open: 2, maxSeverity: "CRITICAL" },
      { id: "T1552.007", name: "Container API", open: 0, maxSeverity: null },
    ]);
    expect(cell("Execution", "T1610")).toMatchObject({ open: 0, maxSeverity: null });
    expect(m.other).toEqual([{ id: "T9999", open: 1, maxSeverity: "LOW" }]);
  });
});
