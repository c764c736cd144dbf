import { type FindingType, type Severity } from "@bulwark/db";
import { advisory } from "./advisories.ts";
import { type EstateSpec, type PlacedWorkload } from "./estates.ts";
import { type ImageSpec } from "./images.ts";
import { type ContainerSpec, imageFor, securityContext, type WorkloadSpec } from "./podspec.ts";
import { canonicalRef, fingerprint, parseImageRef } from "./util.ts";

// Workload findings the policy engine will produce once it evaluates inventory (issue 5): Kubernetes
// misconfiguration checks and policy violations, derived from the same pod specs the inventory reports
// (a privileged pod spec yields a privileged finding), so what the dashboard shows is consistent.

export interface FindingDraft {
  fingerprint: string;
  type: FindingType;
  severity: Severity;
  title: string;
  description: string;
  ruleId: string;
  source: string;
  workloadKey: string;
  mitreTechniques: string[];
  evidence: Record<string, unknown>;
  remediation: string;
  firstSeenDaysAgo: number;
  lastSeenDaysAgo: number;
  resolvedDaysAgo?: number;
}

interface Check {
  ruleId: string;
  title: string;
  severity: Severity;
  mitre: string[];
  remediation: string;
}

export const CHECKS: Record<string, Check> = {
  KSV017: { ruleId: "KSV017", title: "Privileged container", severity: "HIGH", mitre: ["T1610", "T1611"], remediation: "Set securityContext.privileged to false." },
  KSV009: { ruleId: "KSV009", title: "Access to host network", severity: "HIGH", mitre: ["T1040"], remediation: "Remove hostNetwork: true from the pod spec." },
  KSV010: { ruleId: "KSV010", title: "Access to host PID namespace", severity: "HIGH", mitre: ["T1611"], remediation: "Remove hostPID: true from the pod spec." },
  KSV023: { ruleId: "KSV023", title: "hostPath volume mounted", severity: "MEDIUM", mitre: ["T1611"], remediation: "Replace hostPath volumes with PersistentVolumes or emptyDir." },
  KSV012: { ruleId: "KSV012", title: "Container can run as root", severity: "MEDIUM", mitre: ["T1068"], remediation: "Set securityContext.runAsNonRoot: true and a non-zero runAsUser." },
  KSV001: { ruleId: "KSV001", title: "Process can elevate its own privileges", severity: "MEDIUM", mitre: ["T1068"], remediation: "Set securityContext.allowPrivilegeEscalation to false." },
  KSV013: { ruleId: "KSV013", title: "Image tag ':latest' used", severity: "MEDIUM", mitre: [], remediation: "Pin images to a version tag or, better, a digest." },
  KSV014: { ruleId: "KSV014", title: "Root file system is not read-only", severity: "LOW", mitre: [], remediation: "Set securityContext.readOnlyRootFilesystem to true; mount emptyDir volumes where writes are needed." },
  KSV018: { ruleId: "KSV018", title: "Memory not limited", severity: "LOW", mitre: ["T1499"], remediation: "Set resources.limits.memory on every container." },
  KSV036: { ruleId: "KSV036", title: "Service account token mounted", severity: "INFO", mitre: ["T1528"], remediation: "Set automountServiceAccountToken: false unless the workload calls the Kubernetes API." },
};

const SYSTEM_NS = new Set(["kube-system", "monitoring", "ingress-nginx"]);

function misconfigs(w: WorkloadSpec): Array<[Check, string[]]> {
  const ctrs = w.containers;
  const names = (pred: (c: ContainerSpec, sc: Record<string, unknown>) => boolean) =>
    ctrs.filter((c) => pred(c, securityContext(c.security))).map((c) => c.name);
  const out: Array<[Check, string[]]> = [];
  const add = (id: string, hits: string[]) => hits.length && out.push([CHECKS[id]!, hits]);
  add("KSV017", names((_, sc) => sc.privileged === true));
  add("KSV009", w.hostNetwork ? ["pod"] : []);
  add("KSV010", w.hostPID ? ["pod"] : []);
  add("KSV023", (w.hostPaths ?? []).map(([, path]) => path));
  add("KSV012", names((_, sc) => sc.runAsNonRoot !== true));
  add("KSV001", names((_, sc) => sc.allowPrivilegeEscalation !== false));
  add("KSV013", names((c) => typeof c.image === "string" && parseImageRef(c.image).tag === "latest"));
  add("KSV014", names((_, sc) => sc.readOnlyRootFilesystem !== true));
  add("KSV018", names((c) => !c.init && (c.resources === "none" || c.resources === "requests")));
  add("KSV036", w.automountToken === false || SYSTEM_NS.has(w.ns) ? [] : ["pod"]);
  return out;
}

function policyViolations(p: PlacedWorkload, estate: EstateSpec, images: (ref: string) => ImageSpec) {
  const refs = p.spec.containers.map((c) => canonicalRef(imageFor(c, p.tier)));
  const out: Array<{ key: string; title: string; severity: Severity; mitre: string[]; evidence: Record<string, unknown> }> = [];
  const untrusted = refs.filter((r) => !estate.trustedPrefixes.some((t) => r.startsWith(`${t}/`)));
  if (untrusted.length) out.push({ key: "trusted-registries", title: "Image from an untrusted registry", severity: "MEDIUM", mitre: ["T1204.003"], evidence: { images: untrusted, allowed: estate.trustedPrefixes } });
  const unsigned = refs.filter((r) => images(r).signed !== true);
  if (!SYSTEM_NS.has(p.spec.ns) && unsigned.length) out.push({ key: "require-signed-images", title: "Image signature not verified", severity: "MEDIUM", mitre: ["T1204.003"], evidence: { images: unsigned } });
  const privileged = p.spec.containers.filter((c) => c.security === "privileged").map((c) => c.name);
  if (!SYSTEM_NS.has(p.spec.ns) && privileged.length) out.push({ key: "no-privileged", title: "Privileged container outside system namespaces", severity: "CRITICAL", mitre: ["T1610", "T1611"], evidence: { containers: privileged } });
  const latest = refs.filter((r) => r.endsWith(":latest"));
  if (latest.length) out.push({ key: "no-latest-tag", title: "Mutable ':latest' image tag", severity: "HIGH", mitre: ["T1204.003"], evidence: { images: latest } });
  // Keys are the built-in policy ids (packages/policy), so these findings name policies that exist.
  const fixableCritical = (id: string) => advisory(id).severity === "CRITICAL" && advisory(id).affected.some((a) => a.fixed);
  const critical = refs.filter((r) => images(r).packages.some((pk) => (pk.vulns ?? []).some(fixableCritical)));
  if (p.tier === "prod" && critical.length) out.push({ key: "no-fixable-critical-vulns", title: "Runs an image with a fixable critical vulnerability", severity: "HIGH", mitre: ["T1190"], evidence: { images: critical } });
  return out;
}

export function workloadFindings(
  p: PlacedWorkload,
  estate: EstateSpec,
  images: (ref: string) => ImageSpec,
  dayOffset: (key: string) => number,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const [check, hits] of misconfigs(p.spec)) {
    out.push({
      fingerprint: fingerprint("MISCONFIGURATION", check.ruleId, p.key),
      type: "MISCONFIGURATION",
      severity: check.severity,
      title: check.title,
      description: `${check.title} in ${p.spec.kind.toLowerCase()} ${p.spec.ns}/${p.spec.name}.`,
      ruleId: check.ruleId,
      source: "trivy",
      workloadKey: p.key,
      mitreTechniques: check.mitre,
      evidence: { affected: hits },
      remediation: check.remediation,
      firstSeenDaysAgo: dayOffset(`${p.key}|${check.ruleId}`),
      lastSeenDaysAgo: 0,
    });
  }
  for (const f of estate.fixedMisconfigs.filter((x) => `${x.cluster}/${x.ns}` === `${p.cluster}/${p.spec.ns}` && x.workload === p.spec.name)) {
    const check = CHECKS[f.ruleId]!;
    out.push({
      fingerprint: fingerprint("MISCONFIGURATION", check.ruleId, p.key),
      type: "MISCONFIGURATION",
      severity: check.severity,
      title: check.title,
      description: `${check.title} in ${p.spec.kind.toLowerCase()} ${p.spec.ns}/${p.spec.name} (fixed in a later revision).`,
      ruleId: check.ruleId,
      source: "trivy",
      workloadKey: p.key,
      mitreTechniques: check.mitre,
      evidence: { fixedInRevision: true },
      remediation: check.remediation,
      firstSeenDaysAgo: Math.min(f.resolvedDaysAgo + 20, 29),
      lastSeenDaysAgo: f.resolvedDaysAgo,
      resolvedDaysAgo: f.resolvedDaysAgo,
    });
  }
  for (const v of policyViolations(p, estate, images)) {
    out.push({
      fingerprint: fingerprint("POLICY_VIOLATION", v.key, p.key),
      type: "POLICY_VIOLATION",
      severity: v.severity,
      title: v.title,
      description: `${p.spec.kind} ${p.spec.ns}/${p.spec.name} violates policy ${v.key}.`,
      ruleId: v.key,
      // As the admission path records a violation audited at deploy time (store-decisions.ts); the
      // same policies evaluated against the inventory are the MISCONFIGURATION findings of posture.evaluate.
      source: "admission",
      workloadKey: p.key,
      mitreTechniques: v.mitre,
      evidence: { policy: v.key, mode: "AUDIT", ...v.evidence },
      remediation: `Change the workload so it satisfies ${v.key}, or request an exception.`,
      firstSeenDaysAgo: dayOffset(`${p.key}|${v.key}`),
      lastSeenDaysAgo: 0,
    });
  }
  return out;
}
