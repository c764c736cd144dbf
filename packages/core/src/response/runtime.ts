import { type Db, type Prisma } from "@bulwark/db";
import { applyExceptions, type CompiledPolicy, type EvaluationInput, type JsonObject, toResource } from "@bulwark/policy";
import { DEFAULT_MAX_SCAN_AGE_HOURS, readPolicyExceptions } from "../bundles/content.ts";
import { workloadObject } from "../policies/inventory-inputs.ts";
import { loadPolicySet } from "../use-cases/load-policy-set.ts";
import { type CreatedActions, createResponseActions } from "./create-actions.ts";
import { activeResponse, clip, type ResponseRequest, runtimeTarget } from "./targets.ts";

// RUNTIME findings (Falco aggregates) whose rule a policy's response lists: the pods behind the
// finding's recent events are deleted, or its workload scaled to zero, when the policy is ENFORCE in
// the finding's cluster and its scope and exclusions take the workload in. A suppressed finding (an
// approved runtime exception) and an approved exception naming the policy for the workload both stop
// the response. A finding not resolved to an inventory workload gets none: without the workload's
// labels, scope and exclusions cannot be judged, and acting on a pod Bulwark cannot place is a guess.

/**
 * Events received this recently name the pods an aggregate's new events came from; a report's own
 * events are found among events at most this old when it was accepted (live Falco output).
 */
const RECENT_EVENTS_MS = 15 * 60_000;
/** Pods deleted per finding and pass at most (a burst across a large ReplicaSet stays bounded). */
const MAX_PODS_PER_FINDING = 20;

const FINDING_SELECT = {
  id: true,
  ruleId: true,
  evidence: true,
  workload: {
    select: {
      id: true,
      clusterId: true,
      kind: true,
      name: true,
      labels: true,
      annotations: true,
      podSpec: true,
      replicas: true,
      deleted: true,
      cluster: { select: { name: true } },
      namespace: { select: { name: true } },
    },
  },
} as const satisfies Prisma.FindingSelect;

type RuntimeFinding = Prisma.FindingGetPayload<{ select: typeof FINDING_SELECT }>;
type FindingWorkload = NonNullable<RuntimeFinding["workload"]>;

const evidenceText = (evidence: unknown, key: string): string | null => {
  const v = evidence && typeof evidence === "object" ? (evidence as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" && v !== "" ? v : null;
};

function inputOf(w: FindingWorkload, now: Date): EvaluationInput {
  const object = workloadObject({
    kind: w.kind,
    name: w.name,
    namespace: w.namespace.name,
    labels: w.labels as Record<string, string>,
    annotations: w.annotations as Record<string, string>,
    podSpec: w.podSpec as JsonObject,
  });
  return {
    resource: toResource(object),
    images: {},
    cluster: w.cluster.name,
    settings: { trustedRegistries: [], allowedDeployers: [], maxScanAgeHours: DEFAULT_MAX_SCAN_AGE_HOURS, now: now.toISOString() },
  };
}

/** The pods of the finding's recent events (newest first), else the pod its evidence names. */
async function podsOf(db: Db, orgId: string, findings: readonly RuntimeFinding[], now: Date): Promise<Map<string, string[]>> {
  const rows = await db.runtimeEvent.findMany({
    where: { orgId, findingId: { in: findings.map((f) => f.id) }, pod: { not: null }, receivedAt: { gte: new Date(now.getTime() - RECENT_EVENTS_MS) } },
    orderBy: { time: "desc" },
    select: { findingId: true, pod: true },
    take: 10_000,
  });
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const pods = out.get(r.findingId!) ?? [];
    if (!pods.includes(r.pod!) && pods.length < MAX_PODS_PER_FINDING) pods.push(r.pod!);
    out.set(r.findingId!, pods);
  }
  for (const f of findings) {
    const pod = evidenceText(f.evidence, "pod");
    if (!out.has(f.id) && pod) out.set(f.id, [pod]);
  }
  return out;
}

/**
 * The findings a Falco report's events went to. Alert candidates (new, reopened, escalated findings)
 * miss the case responses care most about: a rule firing again, in a new pod of an aggregate that is
 * already open (the pod deleted a minute ago came back, and someone opened a shell in it again).
 */
async function findingsOfReport(db: Db, orgId: string, reportId: string, rules: readonly string[]): Promise<string[]> {
  const report = await db.report.findFirst({ where: { id: reportId, orgId }, select: { receivedAt: true } });
  if (!report) return [];
  const from = new Date(report.receivedAt.getTime() - RECENT_EVENTS_MS).toISOString();
  const rows = await db.$queryRaw<Array<{ findingId: string }>>`
    SELECT DISTINCT "findingId" FROM "RuntimeEvent"
    WHERE "orgId" = ${orgId} AND time >= ${from}::timestamptz AT TIME ZONE 'UTC'
      AND "receivedAt" >= ${report.receivedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'
      AND rule = ANY(${[...rules]}::text[]) AND "findingId" IS NOT NULL
    LIMIT 5000`;
  return rows.map((r) => r.findingId);
}

export interface RuntimeResponseOptions {
  /** Also the findings this (processed FALCO) report's events went to. */
  reportId?: string | undefined;
  now?: Date;
}

export async function requestRuntimeResponses(db: Db, orgId: string, findingIds: readonly string[], opts: RuntimeResponseOptions = {}): Promise<CreatedActions> {
  const none: CreatedActions = { created: [], duplicates: 0, deferred: 0 };
  const now = opts.now ?? new Date();
  if (findingIds.length === 0 && !opts.reportId) return none;
  // Runs after every Falco report: one cheap look before compiling the policy set, which most
  // organizations (no policy listing Falco rules) never need here.
  const [any] = await db.$queryRaw<Array<{ one: number }>>`
    SELECT 1 AS one FROM "Policy" WHERE "orgId" = ${orgId} AND enabled
      AND jsonb_typeof(definition->'response'->'runtimeRules') = 'array' AND definition->'response'->'runtimeRules' <> '[]'::jsonb
    LIMIT 1`;
  if (!any) return none;
  const { compiled } = await loadPolicySet(db, orgId);
  const responding = compiled.filter((p) => !p.disabled && (p.definition.response?.runtimeRules?.length ?? 0) > 0);
  if (responding.length === 0) return none;
  const rules = [...new Set(responding.flatMap((p) => p.definition.response!.runtimeRules!))];
  const ids = new Set(findingIds);
  if (opts.reportId) for (const id of await findingsOfReport(db, orgId, opts.reportId, rules)) ids.add(id);
  if (ids.size === 0) return none;
  const findings = await db.finding.findMany({
    where: { orgId, id: { in: [...ids] }, type: "RUNTIME", status: "OPEN", ruleId: { in: rules }, workload: { deleted: false } },
    select: FINDING_SELECT,
  });
  if (findings.length === 0) return none;
  const [pods, exceptions] = await Promise.all([podsOf(db, orgId, findings, now), readPolicyExceptions(db, orgId, now)]);

  const requests: ResponseRequest[] = [];
  for (const f of findings) {
    const w = f.workload;
    if (!w) continue;
    const input = inputOf(w, now);
    for (const policy of responding) {
      const response = activeResponse(policy, w.cluster.name);
      if (!response?.runtimeRules?.includes(f.ruleId)) continue;
      if (policy.appliesTo && !policy.appliesTo(input)) continue;
      if (waived(policy, f, input, exceptions)) continue;
      for (const pod of response.action === "DELETE_POD" ? (pods.get(f.id) ?? []) : [null]) {
        const target = runtimeTarget(response.action, w, pod);
        if (!target) continue;
        const where = pod ? `pod ${w.namespace.name}/${pod}` : `${w.kind} ${w.namespace.name}/${w.name}`;
        requests.push({
          ...target,
          clusterId: w.clusterId,
          policyKey: policy.id,
          namespace: w.namespace.name,
          workloadId: w.id,
          findingId: f.id,
          reason: clip(`Falco rule "${f.ruleId}" fired in ${where} (policy ${policy.id})`),
        });
      }
    }
  }
  return createResponseActions(db, orgId, requests, now);
}

/** An approved exception naming the policy (or `*`) for this workload and container waives the response. */
function waived(policy: CompiledPolicy, f: RuntimeFinding, input: EvaluationInput, exceptions: Parameters<typeof applyExceptions>[1]): boolean {
  if (exceptions.length === 0) return false;
  const container = evidenceText(f.evidence, "container");
  const violation = { message: f.ruleId, ...(container ? { container } : {}) };
  const [result] = applyExceptions([{ policyId: policy.id, status: "fail", passed: false, violations: [violation] }], exceptions, input);
  return result?.status === "pass";
}
