import { type Db, plainSql, type Severity } from "@bulwark/db";
import { stringify } from "yaml";
import { type OrgContext, requireReader } from "../context.ts";
import { AppError } from "../errors.ts";
import { type ExposureView, type PolicyResultView, readExposure, readPolicyResults, readRiskFactors, type RiskFactorView } from "../inventory/json-views.ts";
import { emptyCounts, imageCounts, type SeverityCounts, workloadCounts } from "../inventory/tally.ts";
import { workloadObject } from "../policies/inventory-inputs.ts";

export const WORKLOAD_RUNTIME_EVENTS = 50;
export const WORKLOAD_ADMISSION_DECISIONS = 20;

const asStrings = (v: unknown): Record<string, string> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {});

/**
 * Everything the workload page shows (any member, or a `read` token; another organization's id is a
 * 404). Keeps every field GET /api/v1/workloads/{id} returned before (the row, cluster, namespace and
 * containers with their images) and adds the detail beside them.
 */
export async function getWorkloadDetail(db: Db, ctx: OrgContext, id: string) {
  requireReader(ctx);
  const workload = await db.workload.findFirst({
    where: { id, orgId: ctx.orgId },
    include: {
      cluster: { select: { id: true, name: true } },
      namespace: { select: { id: true, name: true } },
      containers: {
        orderBy: [{ type: "asc" }, { name: "asc" }],
        include: {
          image: { select: { id: true, digest: true, registryHost: true, repository: true, tags: true, lastScannedAt: true, signatureVerified: true, malwareVerdict: true } },
        },
      },
    },
  });
  if (!workload) throw AppError.notFound("Workload");
  const sql = plainSql(db);
  const imageIds = [...new Set(workload.containers.flatMap((c) => (c.imageId ? [c.imageId] : [])))];
  const [perImage, total, own, runtimeEvents, admissionDecisions] = await Promise.all([
    imageCounts(sql, ctx.orgId, imageIds),
    workloadCounts(sql, ctx.orgId, [workload.id]),
    db.finding.groupBy({ by: ["severity"], where: { workloadId: workload.id, orgId: ctx.orgId, status: "OPEN", imageId: null }, _count: { _all: true } }),
    db.runtimeEvent.findMany({
      where: { orgId: ctx.orgId, workloadId: workload.id },
      orderBy: { time: "desc" },
      take: WORKLOAD_RUNTIME_EVENTS,
      select: { id: true, time: true, rule: true, priority: true, source: true, output: true, pod: true, container: true, findingId: true },
    }),
    db.admissionDecision.findMany({
      where: { orgId: ctx.orgId, clusterId: workload.clusterId, namespace: workload.namespace.name, kind: workload.kind, name: workload.name },
      orderBy: { decidedAt: "desc" },
      take: WORKLOAD_ADMISSION_DECISIONS,
      select: { id: true, decidedAt: true, operation: true, allowed: true, warned: true, policies: true, message: true, breakGlass: true },
    }),
  ]);
  const imageVulnerabilities = emptyCounts();
  for (const c of perImage.values()) for (const k of Object.keys(c) as (keyof SeverityCounts)[]) imageVulnerabilities[k] += c[k];
  const ownFindings = emptyCounts();
  for (const g of own) {
    ownFindings[g.severity as Severity] += g._count._all;
    ownFindings.total += g._count._all;
  }
  const specYaml = stringify(
    workloadObject({ kind: workload.kind, name: workload.name, namespace: workload.namespace.name, labels: asStrings(workload.labels), annotations: asStrings(workload.annotations), podSpec: asStrings(workload.podSpec) }),
    { lineWidth: 0 },
  );
  const policyResults: PolicyResultView[] | null = workload.evaluatedAt ? readPolicyResults(workload.policyResults) : null;
  const riskFactors: RiskFactorView[] = readRiskFactors(workload.riskFactors);
  const exposure: ExposureView[] = readExposure(workload.exposedBy);
  return {
    ...workload,
    specYaml,
    containers: workload.containers.map((c) => ({ ...c, openFindings: c.imageId ? (perImage.get(c.imageId) ?? emptyCounts()) : null })),
    /** Open findings of the images it runs (each image once). */
    imageVulnerabilities,
    /** Its own open findings (misconfigurations, policy violations, runtime), not tied to an image. */
    ownFindings,
    openFindings: total.get(workload.id) ?? emptyCounts(),
    /** null until the policy set was evaluated against it (evaluatedAt). */
    policyResults,
    riskFactorsExplained: riskFactors,
    exposure,
    runtimeEvents,
    admissionDecisions,
  };
}

export type WorkloadDetail = Awaited<ReturnType<typeof getWorkloadDetail>>;
