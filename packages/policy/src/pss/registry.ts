import * as b from "./checks-baseline.ts";
import * as r from "./checks-restricted.ts";
import type { CheckFn } from "./helpers.ts";

// The check registry: which function each check runs at each policy version, and which baseline
// checks a restricted check replaces. Mirrors registry.go of k8s.io/pod-security-admission.

export type PssLevel = "baseline" | "restricted";

export type PssCheckId =
  | "allowPrivilegeEscalation"
  | "appArmorProfile"
  | "capabilities_baseline"
  | "capabilities_restricted"
  | "hostNamespaces"
  | "hostPathVolumes"
  | "hostPorts"
  | "hostProbesAndHostLifecycle"
  | "privileged"
  | "procMount"
  | "procMount_restricted"
  | "restrictedVolumes"
  | "runAsNonRoot"
  | "runAsUser"
  | "seLinuxOptions"
  | "seccompProfile_baseline"
  | "seccompProfile_restricted"
  | "sysctls"
  | "windowsHostProcess";

interface VersionedCheck {
  /** Minor version of Kubernetes 1.x from which this variant applies. */
  since: number;
  check: CheckFn;
  /** Baseline checks this restricted variant replaces while it is in force. */
  overrides?: readonly PssCheckId[];
}

interface CheckDef {
  id: PssCheckId;
  level: PssLevel;
  versions: readonly VersionedCheck[];
}

const CHECKS: readonly CheckDef[] = [
  { id: "hostNamespaces", level: "baseline", versions: [{ since: 0, check: b.hostNamespaces_1_0 }] },
  { id: "privileged", level: "baseline", versions: [{ since: 0, check: b.privileged_1_0 }] },
  { id: "capabilities_baseline", level: "baseline", versions: [{ since: 0, check: b.capabilitiesBaseline_1_0 }] },
  { id: "hostPathVolumes", level: "baseline", versions: [{ since: 0, check: b.hostPathVolumes_1_0 }] },
  { id: "hostPorts", level: "baseline", versions: [{ since: 0, check: b.hostPorts_1_0 }] },
  { id: "appArmorProfile", level: "baseline", versions: [{ since: 0, check: b.appArmorProfile_1_0 }] },
  {
    id: "seLinuxOptions",
    level: "baseline",
    versions: [
      { since: 0, check: b.seLinuxOptions_1_0 },
      { since: 31, check: b.seLinuxOptions_1_31 },
    ],
  },
  {
    id: "procMount",
    level: "baseline",
    versions: [
      { since: 0, check: b.procMount_1_0 },
      { since: 35, check: b.procMount_1_35 },
    ],
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    versions: [
      { since: 0, check: b.seccompProfileBaseline_1_0 },
      { since: 19, check: b.seccompProfileBaseline_1_19 },
    ],
  },
  {
    id: "sysctls",
    level: "baseline",
    versions: [
      { since: 0, check: b.sysctls_1_0 },
      { since: 27, check: b.sysctls_1_27 },
      { since: 29, check: b.sysctls_1_29 },
      { since: 32, check: b.sysctls_1_32 },
      { since: 37, check: b.sysctls_1_37 },
    ],
  },
  { id: "windowsHostProcess", level: "baseline", versions: [{ since: 0, check: b.windowsHostProcess_1_0 }] },
  { id: "hostProbesAndHostLifecycle", level: "baseline", versions: [{ since: 34, check: b.hostProbesAndHostLifecycle_1_34 }] },
  { id: "restrictedVolumes", level: "restricted", versions: [{ since: 0, check: r.restrictedVolumes_1_0, overrides: ["hostPathVolumes"] }] },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    versions: [
      { since: 8, check: r.allowPrivilegeEscalation_1_8 },
      { since: 25, check: r.allowPrivilegeEscalation_1_25 },
    ],
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    versions: [
      { since: 0, check: r.runAsNonRoot_1_0 },
      { since: 35, check: r.runAsNonRoot_1_35 },
    ],
  },
  {
    id: "runAsUser",
    level: "restricted",
    versions: [
      { since: 23, check: r.runAsUser_1_23 },
      { since: 35, check: r.runAsUser_1_35 },
    ],
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    versions: [
      { since: 19, check: r.seccompProfileRestricted_1_19, overrides: ["seccompProfile_baseline"] },
      { since: 25, check: r.seccompProfileRestricted_1_25, overrides: ["seccompProfile_baseline"] },
    ],
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    versions: [
      { since: 22, check: r.capabilitiesRestricted_1_22, overrides: ["capabilities_baseline"] },
      { since: 25, check: r.capabilitiesRestricted_1_25, overrides: ["capabilities_baseline"] },
    ],
  },
  { id: "procMount_restricted", level: "restricted", versions: [{ since: 35, check: r.procMountRestricted_1_35, overrides: ["procMount"] }] },
];

/** Newest policy version any check distinguishes: `latest` and anything newer resolve to it. */
export const PSS_LATEST_MINOR = Math.max(...CHECKS.flatMap((c) => c.versions.map((v) => v.since)));

export interface ActiveCheck {
  id: PssCheckId;
  level: PssLevel;
  check: CheckFn;
}

export interface PssCheckInfo {
  id: PssCheckId;
  level: PssLevel;
  /** Policy versions (`v1.N`) at which the check's logic changes; the first is when it starts. */
  versions: string[];
}

export const PSS_CHECKS: readonly PssCheckInfo[] = CHECKS.map((c) => ({ id: c.id, level: c.level, versions: c.versions.map((v) => `v1.${v.since}`) }));

function variantAt(def: CheckDef, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of def.versions) if (v.since <= minor) found = v;
  return found;
}

/** Baseline check id → the restricted check that replaces it at this version. */
export function pssOverrides(minor: number): Partial<Record<PssCheckId, PssCheckId>> {
  const out: Partial<Record<PssCheckId, PssCheckId>> = {};
  for (const def of CHECKS) {
    if (def.level !== "restricted") continue;
    for (const id of variantAt(def, minor)?.overrides ?? []) out[id] = def.id;
  }
  return out;
}

/** Ids of the checks in force, in reporting order (for UIs and docs). */
export function pssActiveCheckIds(level: PssLevel, minor: number): PssCheckId[] {
  return activeChecks(level, minor).map((c) => c.id);
}

const cache = new Map<string, ActiveCheck[]>();

/**
 * The checks in force for a level at a (resolved) minor version, baseline ids first then
 * restricted, each group sorted: the order upstream reports failures in.
 */
export function activeChecks(level: PssLevel, minor: number): ActiveCheck[] {
  const key = `${level}/${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const overrides = level === "restricted" ? pssOverrides(minor) : {};
  const pick = (lvl: PssLevel) =>
    CHECKS.filter((d) => d.level === lvl && !(d.id in overrides))
      .flatMap((d) => {
        const v = variantAt(d, minor);
        return v ? [{ id: d.id, level: d.level, check: v.check }] : [];
      })
      .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const list = level === "baseline" ? pick("baseline") : [...pick("baseline"), ...pick("restricted")];
  cache.set(key, list);
  return list;
}
