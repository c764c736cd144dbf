import { type DbTx } from "@bulwark/db";
import { checkAdmissionCoverage } from "../admission/coverage.ts";
import { type InventorySnapshot } from "../ingest/kubernetes-inventory.ts";
import { validationError } from "../ingest/normalized.ts";
import { newId, utc } from "../ingest/store-findings.ts";
import { type ImageFacts, upsertImages } from "../ingest/store-images.ts";
import { type IngestReport } from "./ingest-trivy.ts";

const key = (...parts: string[]) => parts.join("\u001f");

/**
 * Applies a cluster inventory as a full snapshot: what it lists is upserted, the cluster's namespaces and
 * workloads it no longer lists are marked deleted and their open findings resolve. The cluster row is
 * locked first, so two snapshots of one cluster apply one after the other, and a snapshot older than
 * the last one applied changes nothing (a late arrival must not resurrect or delete anything).
 */
export async function ingestInventory(tx: DbTx, report: IngestReport, snap: InventorySnapshot): Promise<Record<string, number>> {
  const name = report.subject;
  if (!name) throw validationError("subject", "An inventory is stored for a cluster name");
  const { orgId } = report;
  const at = report.receivedAt;

  await tx.$executeRaw`INSERT INTO "Cluster" (id, "orgId", name, "createdAt", "updatedAt")
    VALUES (${newId()}, ${orgId}, ${name}, now(), now()) ON CONFLICT ("orgId", name) DO NOTHING`;
  const [cluster] = await tx.$queryRaw<Array<{ id: string; stale: boolean }>>`
    SELECT id, ("lastReportAt" IS NOT NULL AND "lastReportAt" >= ${utc(at)}) AS stale
    FROM "Cluster" WHERE "orgId" = ${orgId} AND name = ${name} FOR UPDATE`;
  if (!cluster) throw new Error("cluster row vanished");
  if (cluster.stale) return { stale: 1, namespaces: 0, workloads: 0, containers: 0 };
  const clusterId = cluster.id;
  const provider = snap.cluster.provider === "unknown" ? null : snap.cluster.provider;
  await tx.$executeRaw`UPDATE "Cluster" SET "lastReportAt" = ${utc(at)}, "updatedAt" = now(),
    "kubernetesVersion" = COALESCE(${snap.cluster.kubernetesVersion}, "kubernetesVersion"), provider = COALESCE(${provider}, provider)
    WHERE id = ${clusterId}`;

  // Namespaces: declared ones and those only implied by the objects inside them.
  const nsList = new Map(snap.namespaces.map((n) => [n.name, n]));
  for (const w of snap.workloads) if (!nsList.has(w.namespace)) nsList.set(w.namespace, { name: w.namespace, uid: null, labels: {}, declared: false, deleting: false });
  const namespaces = [...nsList.values()];
  // Declared namespaces bring their labels; namespaces only implied by the objects in them (an
  // inventory of pods alone) are created with none and keep whatever labels they had.
  const upsertNamespaces = (list: typeof namespaces, declared: boolean) =>
    list.length === 0
      ? Promise.resolve([])
      : tx.$queryRaw<Array<{ id: string; name: string }>>`
    INSERT INTO "Namespace" AS n (id, "orgId", "clusterId", name, labels, "firstSeen", "lastSeen", "deletedAt")
    SELECT id, ${orgId}, ${clusterId}, name, labels::jsonb, ${utc(at)}, ${utc(at)}, NULL
    FROM unnest(${list.map(() => newId())}::text[], ${list.map((n) => n.name)}::text[],
      ${list.map((n) => JSON.stringify(declared ? n.labels : {}))}::text[]) AS t(id, name, labels)
    ON CONFLICT ("clusterId", name) DO UPDATE SET labels = CASE WHEN ${declared} THEN EXCLUDED.labels ELSE n.labels END,
      "lastSeen" = EXCLUDED."lastSeen", "deletedAt" = NULL
    RETURNING n.id, n.name`;
  const nsRows = [...(await upsertNamespaces(namespaces.filter((n) => n.declared), true)), ...(await upsertNamespaces(namespaces.filter((n) => !n.declared), false))];
  const nsId = new Map(nsRows.map((r) => [r.name, r.id]));
  const deletedNamespaces = await tx.$executeRaw`UPDATE "Namespace" SET "deletedAt" = ${utc(at)}
    WHERE "clusterId" = ${clusterId} AND "orgId" = ${orgId} AND "deletedAt" IS NULL AND NOT (name = ANY(${namespaces.map((n) => n.name)}::text[]))`;

  const ws = snap.workloads;
  const wRows = await tx.$queryRaw<Array<{ id: string; namespaceId: string; kind: string; name: string; inserted: boolean }>>`
    INSERT INTO "Workload" AS w (id, "orgId", "clusterId", "namespaceId", kind, name, uid, labels, annotations, "podSpec", "exposedBy", replicas,
      "ownerKind", "ownerName", "createdInCluster", "firstSeen", "lastSeen", deleted, "deletedAt")
    SELECT id, ${orgId}, ${clusterId}, ns, kind, name, uid, labels::jsonb, annotations::jsonb, pod_spec::jsonb, exposed::jsonb, replicas,
      owner_kind, owner_name, created AT TIME ZONE 'UTC', ${utc(at)}, ${utc(at)}, false, NULL
    FROM unnest(${ws.map(() => newId())}::text[], ${ws.map((w) => nsId.get(w.namespace) ?? "")}::text[], ${ws.map((w) => w.kind)}::text[],
      ${ws.map((w) => w.name)}::text[], ${ws.map((w) => w.uid)}::text[], ${ws.map((w) => JSON.stringify(w.labels))}::text[],
      ${ws.map((w) => JSON.stringify(w.annotations))}::text[], ${ws.map((w) => JSON.stringify(w.podSpec))}::text[],
      ${ws.map((w) => JSON.stringify(w.exposedBy))}::text[], ${ws.map((w) => w.replicas)}::int[], ${ws.map((w) => w.ownerKind)}::text[], ${ws.map((w) => w.ownerName)}::text[],
      ${ws.map((w) => w.createdAt)}::timestamptz[])
      AS t(id, ns, kind, name, uid, labels, annotations, pod_spec, exposed, replicas, owner_kind, owner_name, created)
    ON CONFLICT ("clusterId", "namespaceId", kind, name) DO UPDATE SET uid = EXCLUDED.uid, labels = EXCLUDED.labels,
      annotations = EXCLUDED.annotations, "podSpec" = EXCLUDED."podSpec", "exposedBy" = EXCLUDED."exposedBy", replicas = EXCLUDED.replicas, "ownerKind" = EXCLUDED."ownerKind",
      "ownerName" = EXCLUDED."ownerName", "createdInCluster" = COALESCE(EXCLUDED."createdInCluster", w."createdInCluster"),
      "lastSeen" = EXCLUDED."lastSeen", deleted = false, "deletedAt" = NULL
    RETURNING w.id, w."namespaceId", w.kind, w.name, (xmax = 0) AS inserted`;
  const wId = new Map(wRows.map((r) => [key(r.namespaceId, r.kind, r.name), r.id]));
  const presentIds = wRows.map((r) => r.id);

  const gone = await tx.$queryRaw<Array<{ id: string }>>`UPDATE "Workload" SET deleted = true, "deletedAt" = ${utc(at)}
    WHERE "clusterId" = ${clusterId} AND "orgId" = ${orgId} AND deleted = false AND NOT (id = ANY(${presentIds}::text[])) RETURNING id`;
  const resolved = gone.length === 0 ? 0 : await tx.$executeRaw`UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(at)}, "updatedAt" = now()
    WHERE COALESCE("orgId", '') = ${orgId} AND status = 'OPEN' AND "workloadId" = ANY(${gone.map((g) => g.id)}::text[])`;

  // Containers, linked to the image their pods actually run when the pod status named a registry digest.
  const images: ImageFacts[] = [];
  const containers: Array<{ workloadId: string; name: string; type: string; imageRef: string; digest: string | null; securityContext: string }> = [];
  for (const w of ws) {
    const workloadId = wId.get(key(nsId.get(w.namespace) ?? "", w.kind, w.name));
    if (!workloadId) continue;
    for (const c of w.containers) {
      const digest = c.digests[0] ?? null;
      if (digest) {
        const ref = c.image;
        images.push({ digest, registryHost: ref?.registryHost ?? null, repository: ref?.repository ?? null, tags: ref?.tag && !ref.digest ? [ref.tag] : [], seenAt: at });
      }
      containers.push({ workloadId, name: c.name, type: c.type, imageRef: c.imageRef, digest, securityContext: JSON.stringify(c.securityContext) });
    }
  }
  const imageIds = await upsertImages(tx, orgId, images);
  const cs = containers;
  await tx.$executeRaw`
    INSERT INTO "Container" AS c (id, "orgId", "workloadId", name, type, "imageRef", "imageId", "securityContext")
    SELECT id, ${orgId}, wid, name, type::"ContainerType", image_ref, image_id, sc::jsonb
    FROM unnest(${cs.map(() => newId())}::text[], ${cs.map((c) => c.workloadId)}::text[], ${cs.map((c) => c.name)}::text[],
      ${cs.map((c) => c.type)}::text[], ${cs.map((c) => c.imageRef)}::text[], ${cs.map((c) => (c.digest ? (imageIds.get(c.digest) ?? null) : null))}::text[],
      ${cs.map((c) => c.securityContext)}::text[]) AS t(id, wid, name, type, image_ref, image_id, sc)
    ON CONFLICT ("workloadId", name) DO UPDATE SET type = EXCLUDED.type, "imageRef" = EXCLUDED."imageRef",
      "imageId" = COALESCE(EXCLUDED."imageId", CASE WHEN c."imageRef" = EXCLUDED."imageRef" THEN c."imageId" END),
      "securityContext" = EXCLUDED."securityContext"`;
  // Containers removed from a workload's spec go; those of deleted workloads stay with their workload.
  await tx.$executeRaw`DELETE FROM "Container" c WHERE c."orgId" = ${orgId} AND c."workloadId" = ANY(${presentIds}::text[])
    AND NOT EXISTS (SELECT 1 FROM unnest(${cs.map((c) => c.workloadId)}::text[], ${cs.map((c) => c.name)}::text[]) AS t(wid, name)
                    WHERE t.wid = c."workloadId" AND t.name = c.name)`;

  const coverage = await checkAdmissionCoverage(tx, orgId, clusterId, at);

  return {
    ...coverage,
    namespaces: namespaces.length,
    workloads: ws.length,
    created: wRows.filter((r) => r.inserted).length,
    containers: cs.length,
    images: imageIds.size,
    deletedWorkloads: gone.length,
    deletedNamespaces,
    resolved,
  };
}
