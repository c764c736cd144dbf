import { describe, expect, it } from "vitest";
import {
  FALCO_RULE_TECHNIQUES,
  MISCONFIG_CHECK_TECHNIQUES,
  canonicalCheckId,
  falcoTechniques,
  isTechniqueId,
  misconfigTechniques,
  tacticsFromTags,
  techniqueName,
  techniquesFromTags,
} from "./mitre.ts";

describe("technique ids", () => {
  it("validates T#### and T####.### only", () => {
    for (const ok of ["T1059", "T1552.001", "T1611"]) expect(isTechniqueId(ok)).toBe(true);
    for (const bad of ["T105", "T10590", "T1552.1", "t1059", "TA0004", "mitre_execution", ""]) expect(isTechniqueId(bad)).toBe(false);
  });

  it("names techniques, falling back to the parent for unknown sub-techniques", () => {
    expect(techniqueName("T1611")).toBe("Escape to Host");
    expect(techniqueName("T1552.001")).toBe("Unsecured Credentials: Credentials In Files");
    expect(techniqueName("T1059.004")).toBe("Command and Scripting Interpreter");
    expect(techniqueName("T9999")).toBeNull();
  });

  it("every id in the mapping tables is valid and named", () => {
    const all = [...Object.values(FALCO_RULE_TECHNIQUES), ...Object.values(MISCONFIG_CHECK_TECHNIQUES)].flat();
    for (const id of all) {
      expect(isTechniqueId(id)).toBe(true);
      expect(techniqueName(id)).not.toBeNull();
    }
  });
});

describe("tags", () => {
  it("keeps technique ids from tags, upper-cased, deduplicated and sorted", () => {
    expect(techniquesFromTags(["container", "T1611", "shell", "t1059", "T1059", "mitre_execution", "T12"])).toEqual(["T1059", "T1611"]);
  });

  it("maps mitre_* tags to tactic ids, never to techniques", () => {
    expect(tacticsFromTags(["mitre_privilege_escalation", "mitre_execution", "k8s", "MITRE_DISCOVERY"])).toEqual(["TA0002", "TA0004", "TA0007"]);
    expect(techniquesFromTags(["mitre_privilege_escalation"])).toEqual([]);
  });

  it("uses the rule table only when tags carry no technique id", () => {
    expect(falcoTechniques("Terminal shell in container", ["container", "shell", "mitre_execution"])).toEqual(["T1059"]);
    expect(falcoTechniques("terminal SHELL in container", [])).toEqual(["T1059"]);
    expect(falcoTechniques("Terminal shell in container", ["T1611"])).toEqual(["T1611"]);
    expect(falcoTechniques("My custom rule", ["mitre_privilege_escalation"])).toEqual([]);
  });
});

describe("misconfigurations", () => {
  it("canonicalises Trivy check ids across versions", () => {
    expect(canonicalCheckId("KSV017")).toBe("KSV-0017");
    expect(canonicalCheckId("KSV-0017")).toBe("KSV-0017");
    expect(canonicalCheckId("AVD-KSV-0017")).toBe("KSV-0017");
    expect(canonicalCheckId("ds002")).toBe("DS-0002");
    expect(canonicalCheckId("no-root-user")).toBe("no-root-user");
  });

  it("maps known checks by id", () => {
    expect(misconfigTechniques("KSV017", "Privileged")).toEqual(["T1611"]);
    expect(misconfigTechniques("AVD-KSV-0023", null)).toEqual(["T1611"]);
    expect(misconfigTechniques("KSV-0009", null)).toEqual(["T1611"]);
    expect(misconfigTechniques("KSV001", null)).toEqual(["T1068"]);
    expect(misconfigTechniques("DS-0002", null)).toEqual(["T1068"]);
  });

  it("falls back to the title for unknown checks", () => {
    expect(misconfigTechniques("X-1", "Container should not be privileged")).toEqual(["T1611"]);
    expect(misconfigTechniques("X-2", "Access to host PID")).toEqual(["T1611"]);
    expect(misconfigTechniques("X-3", "Can elevate its own privileges: privilege escalation allowed")).toEqual(["T1068"]);
    expect(misconfigTechniques("X-4", "Secret exposed in env variable")).toEqual(["T1552.001"]);
    expect(misconfigTechniques("X-5", "CPU limits not set")).toEqual([]);
    expect(misconfigTechniques("X-6", null)).toEqual([]);
  });
});
