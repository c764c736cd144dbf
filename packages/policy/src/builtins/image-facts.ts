import type { BuiltinPolicy, EvaluationInput, ImageFacts, Violation } from "../types.ts";
import { factsFor } from "./util.ts";

// Policies on what scanners and registries know about an image (`input.images[container.image]`).
// No facts means unknown, and unknown is not a violation: the CLI in CI has none, and the engine treats
// missing facts the same way for criteria and CEL rules. Every container counts, ephemeral included.

type FactsJudge = (facts: ImageFacts, input: EvaluationInput) => { message: string; evidence: string } | undefined;

/** One pass over the containers that have facts, with the judgement as the only difference. */
function eachImage(input: EvaluationInput, judge: FactsJudge): Violation[] {
  const out: Violation[] = [];
  const resource = input.resource;
  if (resource.podSpec === undefined) return out;
  for (const c of resource.containers) {
    const facts = factsFor(input, c.image);
    if (facts === undefined) continue;
    const found = judge(facts, input);
    if (found === undefined) continue;
    out.push({ message: `Container "${c.name}": ${found.message}`, container: c.name, path: `${c.path}.image`, evidence: found.evidence });
  }
  return out;
}

/** At most a few ids in evidence; the finding view lists the rest. */
function someIds(ids: readonly string[] | undefined): string {
  if (ids === undefined || ids.length === 0) return "";
  return ids.length <= 5 ? `; ${ids.join(", ")}` : `; ${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more`;
}

const judgeVulns: FactsJudge = (facts) => {
  const v = facts.vulnerabilities;
  const fixable = v?.fixableCritical ?? 0;
  if (!(fixable > 0)) return undefined;
  return {
    message: `image ${facts.ref} has ${fixable} critical vulnerabilit${fixable === 1 ? "y" : "ies"} with a fix available`,
    evidence: `fixableCritical: ${fixable}, critical: ${v.critical}, fixableHigh: ${v.fixableHigh}${someIds(v.ids)}`,
  };
};

export const noFixableCriticalVulns: BuiltinPolicy = {
  id: "no-fixable-critical-vulns",
  name: "No fixable critical vulnerabilities",
  description: "Images must not contain critical vulnerabilities for which a fixed version exists (images without scan results are not judged).",
  rationale: "A critical vulnerability with a published fix is the easiest way in: exploits follow advisories within days, and the fix is only a rebuild away.",
  remediation: "Rebuild the image on an updated base image or bump the affected packages to their fixed versions, then redeploy.",
  severity: "CRITICAL",
  category: "Vulnerabilities",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "WARN",
  mitre: ["T1190", "T1068"],
  threats: ["unpatched-vulnerabilities"],
  check: (input) => eachImage(input, judgeVulns),
};

const judgeMalware: FactsJudge = (facts) => {
  if (facts.malware?.detected !== true) return undefined;
  const sigs = facts.malware.signatures ?? [];
  return { message: `image ${facts.ref} contains malware`, evidence: sigs.length === 0 ? "malware detected" : `signatures: ${sigs.slice(0, 5).join(", ")}${sigs.length > 5 ? ` and ${sigs.length - 5} more` : ""}` };
};

export const noMalware: BuiltinPolicy = {
  id: "no-malware",
  name: "No malware",
  description: "Images in which a scanner or registry detected malware must not run.",
  rationale: "Malicious images (crypto-miners, backdoors, typo-squatted public images) are a common way into clusters; a positive verdict has no legitimate use.",
  remediation: "Stop the workload, find how the image got into the pipeline, rebuild from a trusted base and rotate credentials the workload could reach.",
  severity: "CRITICAL",
  category: "Malware",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "ENFORCE",
  mitre: ["T1204.003", "T1525", "T1496"],
  threats: ["malware"],
  check: (input) => eachImage(input, judgeMalware),
};

const judgeSignature: FactsJudge = (facts) => {
  if (facts.signature?.verified === true) return undefined;
  return { message: `image ${facts.ref} has no verified signature`, evidence: "signature.verified: false" };
};

export const requireSignedImages: BuiltinPolicy = {
  id: "require-signed-images",
  name: "Signed images only",
  description: "Images must carry a signature the registry connector verified (images without facts are not judged).",
  rationale: "A verified signature proves the image came out of the organization's build pipeline and was not pushed by someone holding registry credentials.",
  remediation: "Sign images in CI (e.g. cosign/Sigstore or Notation) and configure verification in the registry connector.",
  severity: "MEDIUM",
  category: "Supply chain",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1525", "T1610", "T1204.003"],
  threats: ["unauthorized-deployment", "malware"],
  check: (input) => eachImage(input, judgeSignature),
};

// settings.now is the same string for a whole evaluation run; parse it once.
let lastNow = "";
let lastNowMs = Number.NaN;
function nowMs(now: string): number {
  if (now !== lastNow) {
    lastNow = now;
    lastNowMs = Date.parse(now);
  }
  return lastNowMs;
}

const HOUR_MS = 3_600_000;

const judgeScanAge: FactsJudge = (facts, input) => {
  const { maxScanAgeHours, now } = input.settings;
  // A missing or non-positive maximum age, or no valid evaluation time: the policy is not configured.
  if (!(maxScanAgeHours > 0)) return undefined;
  const nowTime = nowMs(now);
  if (Number.isNaN(nowTime)) return undefined;
  const scannedAt = facts.scannedAt;
  if (scannedAt === undefined || scannedAt === "") return { message: `image ${facts.ref} has never been scanned`, evidence: "scannedAt: never" };
  const scanned = Date.parse(scannedAt);
  if (Number.isNaN(scanned)) return { message: `image ${facts.ref} has no valid scan time`, evidence: `scannedAt: ${scannedAt.slice(0, 64)}` };
  const ageHours = (nowTime - scanned) / HOUR_MS;
  if (ageHours <= maxScanAgeHours) return undefined;
  return {
    message: `image ${facts.ref} was last scanned ${Math.floor(ageHours)} hours ago (maximum ${maxScanAgeHours})`,
    evidence: `scannedAt: ${scannedAt}, now: ${now}`,
  };
};

export const imageScannedRecently: BuiltinPolicy = {
  id: "image-scanned-recently",
  name: "Images scanned recently",
  description:
    "Every image with known facts must have a vulnerability scan newer than the organization's maximum scan age; a known image that was never scanned fails. Images without facts are not judged.",
  rationale: "New vulnerabilities are published every day: an image that was clean at its last scan weeks ago is of unknown risk today.",
  remediation: "Scan the image again (the Trivy or SBOM connector), or schedule scans more often than the maximum age in Settings.",
  severity: "LOW",
  category: "Vulnerabilities",
  stages: ["DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1190", "T1068"],
  threats: ["unpatched-vulnerabilities"],
  check: (input) => eachImage(input, judgeScanAge),
};
