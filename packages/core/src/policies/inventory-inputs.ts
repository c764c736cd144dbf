import { type Db, plainSql, Prisma } from "@bulwark/db";
import { type EvaluationInput, type EvaluationSettings, type ImageFacts, type JsonObject, TEMPLATE_PATHS, toResource } from "@bulwark/policy";

// The organization's current inventory as the policy engine takes it: each live workload rebuilt as the
// Kubernetes object it came from (top-level controller with its pod template), with the facts Bulwark
// holds about its images. Read in keyset pages straight from node-postgres: a preview over 20,000
// workloads must answer in seconds, and Prisma's client would cost ~0.6 ms per row set and parse.


const API_VERSION: Record<string, string> = { Pod: "v1", ReplicationController: "v1", Job: "batch/v1", CronJob: "batch/v1" };

export interface StoredWorkload {
  id: string;
  clusterId: string;
  namespaceId: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  podSpec: JsonObject;
}

/** The apiVersion of a stored workload's kind (Deployment → apps/v1, Job → batch/v1, Pod → v1). */
export function workloadApiVersion(kind: string): string {
  return API_VERSION[kind] ?? "apps/v1";
}

/** The Kubernetes object a stored workload stands for (labels stand in for the pod template's). */
export function workloadObject(w: Pick<StoredWorkload, "kind" | "name" | "namespace" | "labels" | "annotations" | "podSpec">): JsonObject {
  const metadata = { name: w.name, namespace: w.namespace, labels: w.labels, annotations: w.annotations };
  const path = TEMPLATE_PATHS[w.kind];
  const base: JsonObject = { apiVersion: workloadApiVersion(w.kind), kind: w.kind, metadata };
  if (!path) return { ...base, spec: w.podSpec };
  let inner: JsonObject = { metadata: { labels: w.labels }, spec: w.podSpec };
  for (let i = path.length - 1; i >= 0; i--) inner = { [path[i]!]: inner };
  return { ...base, ...inner };
}

interface ImageRow {
  id: string;
  digest: string;
  registryHost: string;
  repository: string;
  signatureVerified: boolean | null;
  malwareVerdict: string | null;
  lastScannedAt: Date | null;
  critical: bigint;
  high: bigint;
  medium: bigint;
  low: bigint;
  fixable_critical: bigint;
  fixable_high: bigint;
  malware: string[] | null;
}

/** Facts for every image the org's live containers run, by image id (open findings counted in one pass). */
async function imageFactsById(db: Db, orgId: string): Promise<Map<string, Omit<ImageFacts, "ref">>> {
  const rows = await plainSql(db).$queryRaw<ImageRow[]>`
    SELECT i.id, i.digest, i."registryHost", i.repository, i."signatureVerified", i."malwareVerdict", i."lastScannedAt",
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'CRITICAL') AS critical,
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'HIGH') AS high,
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'MEDIUM') AS medium,
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'LOW') AS low,
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'CRITICAL' AND f.fixable) AS fixable_critical,
      count(*) FILTER (WHERE f.type = 'VULNERABILITY' AND f.severity = 'HIGH' AND f.fixable) AS fixable_high,
      array_agg(DISTINCT f."ruleId") FILTER (WHERE f.type = 'MALWARE') AS malware
    FROM "Image" i
    LEFT JOIN "Finding" f ON f."imageId" = i.id AND f.status = 'OPEN' AND f.type IN ('VULNERABILITY', 'MALWARE')
    WHERE i."orgId" = ${orgId}
      AND i.id IN (SELECT DISTINCT c."imageId" FROM "Container" c WHERE c."orgId" = ${orgId} AND c."imageId" IS NOT NULL)
    GROUP BY i.id`;
  const out = new Map<string, Omit<ImageFacts, "ref">>();
  for (const r of rows) {
    const signatures = r.malware ?? [];
    out.set(r.id, {
      digest: r.digest,
      registry: r.registryHost,
      ...(r.lastScannedAt ? { scannedAt: r.lastScannedAt.toISOString() } : {}),
      vulnerabilities: {
        critical: Number(r.critical),
        high: Number(r.high),
        medium: Number(r.medium),
        low: Number(r.low),
        fixableCritical: Number(r.fixable_critical),
        fixableHigh: Number(r.fixable_high),
      },
      malware: { detected: signatures.length > 0 || r.malwareVerdict === "malicious", signatures },
      signature: { verified: r.signatureVerified === true },
    });
  }
  return out;
}

const PAGE = 2_000;

/**
 * Calls `visit` with the evaluation input of every live workload of the organization (or of one of its
 * clusters), page by page (bounded memory whatever the inventory's size), in id order.
 */
export async function forEachWorkloadInput(
  db: Db,
  orgId: string,
  settings: EvaluationSettings,
  visit: (workload: StoredWorkload, input: EvaluationInput) => void,
  filter: { clusterId?: string | undefined } = {},
): Promise<number> {
  const inCluster = filter.clusterId === undefined ? Prisma.empty : Prisma.sql`AND w."clusterId" = ${filter.clusterId}`;
  const facts = await imageFactsById(db, orgId);
  const containers = await plainSql(db).$queryRaw<Array<{ workloadId: string; imageRef: string; imageId: string }>>`
    SELECT "workloadId", "imageRef", "imageId" FROM "Container" WHERE "orgId" = ${orgId} AND "imageId" IS NOT NULL`;
  const imagesOf = new Map<string, Record<string, ImageFacts>>();
  for (const c of containers) {
    const f = facts.get(c.imageId);
    if (!f) continue;
    const images = imagesOf.get(c.workloadId) ?? {};
    images[c.imageRef] = { ref: c.imageRef, ...f };
    imagesOf.set(c.workloadId, images);
  }
  let after = "";
  let count = 0;
  for (;;) {
    const page = await plainSql(db).$queryRaw<StoredWorkload[]>`
      SELECT w.id, w."clusterId", w."namespaceId", c.name AS cluster, n.name AS namespace, w.kind, w.name, w.labels, w.annotations, w."podSpec"
      FROM "Workload" w JOIN "Cluster" c ON c.id = w."clusterId" JOIN "Namespace" n ON n.id = w."namespaceId"
      WHERE w."orgId" = ${orgId} AND NOT w.deleted AND w.id > ${after} ${inCluster}
      ORDER BY w.id LIMIT ${PAGE}`;
    for (const w of page) {
      visit(w, { resource: toResource(workloadObject(w)), images: imagesOf.get(w.id) ?? {}, cluster: w.cluster, settings });
    }
    count += page.length;
    if (page.length < PAGE) return count;
    after = page.at(-1)!.id;
  }
}
