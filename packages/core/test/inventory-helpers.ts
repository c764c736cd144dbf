import { randomBytes } from "node:crypto";
import { type Db, type FindingType, type Severity } from "@bulwark/db";
import { uid } from "./helpers.ts";

// A small estate built row by row for the inventory tests, with findings whose tally rows the
// triggers on "Finding" maintain.

export async function cluster(db: Db, orgId: string, name: string, lastReportAt: Date | null = new Date()) {
  return db.cluster.create({ data: { orgId, name, lastReportAt } });
}

export async function namespace(db: Db, orgId: string, clusterId: string, name: string) {
  return db.namespace.create({ data: { orgId, clusterId, name } });
}

export async function image(db: Db, orgId: string, repository: string, data: { registryHost?: string; signatureVerified?: boolean | null; malwareVerdict?: string | null; tags?: string[] } = {}) {
  return db.image.create({
    data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: data.registryHost ?? "ghcr.io", repository, tags: data.tags ?? ["1.0"], signatureVerified: data.signatureVerified ?? null, malwareVerdict: data.malwareVerdict ?? null },
  });
}

export async function workload(
  db: Db,
  orgId: string,
  ns: { id: string; clusterId: string },
  name: string,
  opts: { kind?: string; imageIds?: string[]; riskScore?: number; pssLevel?: string | null; exposed?: boolean; deleted?: boolean; lastSeen?: Date } = {},
) {
  const w = await db.workload.create({
    data: {
      orgId,
      clusterId: ns.clusterId,
      namespaceId: ns.id,
      kind: opts.kind ?? "Deployment",
      name,
      podSpec: { containers: (opts.imageIds ?? []).map((_, i) => ({ name: `c${i}`, image: `img:${i}` })) },
      riskScore: opts.riskScore ?? 0,
      pssLevel: opts.pssLevel ?? null,
      exposedBy: opts.exposed ? [{ service: `${name}-lb`, type: "LoadBalancer", ports: [443] }] : [],
      deleted: opts.deleted ?? false,
      deletedAt: opts.deleted ? new Date() : null,
      ...(opts.lastSeen ? { lastSeen: opts.lastSeen } : {}),
    },
  });
  for (const [i, imageId] of (opts.imageIds ?? []).entries()) {
    await db.container.create({ data: { orgId, workloadId: w.id, name: `c${i}`, imageRef: `img:${i}`, imageId } });
  }
  return w;
}

export async function findings(db: Db, orgId: string, n: number, at: { severity: Severity; type?: FindingType; imageId?: string; workloadId?: string; clusterId?: string; fixable?: boolean; status?: "OPEN" | "RESOLVED" }) {
  await db.finding.createMany({
    data: [...Array(n).keys()].map(() => ({
      orgId,
      fingerprint: uid(),
      type: at.type ?? "VULNERABILITY",
      severity: at.severity,
      status: at.status ?? "OPEN",
      title: "t",
      ruleId: `CVE-2030-${uid()}`,
      source: "test",
      imageId: at.imageId ?? null,
      workloadId: at.workloadId ?? null,
      clusterId: at.clusterId ?? null,
      fixable: at.fixable ?? false,
    })),
  });
}
