import { type Db, type Prisma, type Severity } from "@bulwark/db";
import { type EstateSpec } from "./estates.ts";
import { type FindingDraft, imageFindings, type PlacedWorkload, workloadFindings, workloadKey } from "./findings.ts";
import { imageSpec, purl } from "./images.ts";
import { imageFor, podSpec } from "./podspec.ts";
import { canonicalRef, daysAgo, digestFor, intBetween, parseImageRef, prng, seedId, uuidFor } from "./util.ts";

// Writes one organization's demo estate. Every insert is createMany + skipDuplicates on a natural key
// (or on a fixed id where the table has none), then ids are read back by those keys: re-running adds
// nothing and leaves rows people have since changed in the demo (resolved findings...) alone.

const RISK_WEIGHT: Record<Severity, number> = { CRITICAL: 25, HIGH: 10, MEDIUM: 4, LOW: 1, INFO: 0 };

export interface EstateResult {
  clusters: number;
  workloads: number;
  images: number;
  findings: number;
}

export async function seedEstate(db: Db, orgId: string, estate: EstateSpec, now: Date): Promise<EstateResult> {
  const rand = prng(`estate:${estate.slug}`);
  // Stable per-key day offsets, independent of iteration order.
  const dayOffset = (key: string) => intBetween(prng(`${estate.slug}|${key}`), 2, 45);

  await db.cluster.createMany({
    skipDuplicates: true,
    data: estate.clusters.map((c) => ({
      orgId,
      name: c.name,
      provider: c.provider,
      kubernetesVersion: c.kubernetesVersion,
      lastReportAt: daysAgo(now, 0, rand() / 10),
      createdAt: daysAgo(now, 60),
    })),
  });
  const clusterIds = byKey(await db.cluster.findMany({ where: { orgId }, select: { id: true, name: true } }), (c) => c.name);

  await db.registry.createMany({
    skipDuplicates: true,
    data: estate.registries.map((r) => ({ orgId, name: r.name, host: r.host, trusted: r.trusted, lastReportAt: daysAgo(now, 0, 1) })),
  });
  const registries = await db.registry.findMany({ where: { orgId }, select: { id: true, host: true } });

  await db.namespace.createMany({
    skipDuplicates: true,
    data: estate.clusters.flatMap((c) =>
      estate.namespaces.map((ns) => ({
        orgId,
        clusterId: need(clusterIds, c.name),
        name: ns,
        labels: nsLabels(ns),
        firstSeen: daysAgo(now, 58),
        lastSeen: now,
      })),
    ),
  });
  const nsIds = byKey(
    await db.namespace.findMany({ where: { orgId }, select: { id: true, name: true, cluster: { select: { name: true } } } }),
    (n) => `${n.cluster.name}/${n.name}`,
  );

  const placed: PlacedWorkload[] = estate.clusters.flatMap((c) =>
    estate.workloads.filter((w) => !w.only || w.only === c.tier).map((w) => ({ key: workloadKey(c.name, w), cluster: c.name, tier: c.tier, spec: w })),
  );
  const refs = [...new Set([...placed.flatMap((p) => p.spec.containers.map((c) => canonicalRef(imageFor(c, p.tier)))), ...estate.extraImages])];
  const specs = refs.map((r) => imageSpec(r));

  await db.image.createMany({
    skipDuplicates: true,
    data: specs.map((s) => {
      const ref = parseImageRef(s.ref);
      const registry = registries
        .filter((r) => `${ref.registryHost}/${ref.repository}`.startsWith(r.host))
        .sort((a, b) => b.host.length - a.host.length)[0];
      const lastSeen = daysAgo(now, s.retiredDaysAgo ?? 0);
      return {
        orgId,
        digest: digestFor(s.ref),
        registryHost: ref.registryHost,
        repository: ref.repository,
        tags: [ref.tag],
        registryId: registry?.id ?? null,
        osFamily: s.os?.family ?? null,
        osName: s.os?.name ?? null,
        signatureVerified: s.signed,
        malwareVerdict: s.malware ? "malicious" : "clean",
        firstSeen: daysAgo(now, dayOffset(s.ref) + (s.retiredDaysAgo ?? 0)),
        lastSeen,
        lastScannedAt: lastSeen,
      };
    }),
  });
  const imageIds = byKey(await db.image.findMany({ where: { orgId }, select: { id: true, digest: true } }), (i) => i.digest);
  const imageId = (ref: string) => need(imageIds, digestFor(canonicalRef(ref)));

  await db.imagePackage.createMany({
    skipDuplicates: true,
    data: specs.flatMap((s) =>
      s.packages.map((p) => ({ imageId: imageId(s.ref), ecosystem: p.ecosystem, name: p.name, version: p.version, purl: purl(p, s.os), license: p.license ?? null })),
    ),
  });

  // Findings are computed before workloads are written so each workload's risk score can include them.
  const drafts: FindingDraft[] = [
    ...specs.flatMap((s) => imageFindings(s, (k) => dayOffset(`${s.ref}|${k}`))),
    ...placed.flatMap((p) => workloadFindings(p, estate, imageSpec, dayOffset)),
  ];
  const seen = new Set<string>();
  for (const d of drafts) {
    if (seen.has(d.fingerprint)) throw new Error(`seed: duplicate finding fingerprint for ${d.ruleId} (${d.workloadKey ?? d.imageRef})`);
    seen.add(d.fingerprint);
  }
  const openRisk = new Map<string, number>();
  for (const d of drafts) {
    if (d.resolvedDaysAgo !== undefined) continue;
    const key = d.workloadKey ?? d.imageRef!;
    openRisk.set(key, (openRisk.get(key) ?? 0) + RISK_WEIGHT[d.severity]);
  }
  const riskOf = (p: PlacedWorkload) => {
    const imageRisk = [...new Set(p.spec.containers.map((c) => canonicalRef(imageFor(c, p.tier))))].reduce((sum, r) => sum + (openRisk.get(r) ?? 0), 0);
    return Math.min(100, (openRisk.get(p.key) ?? 0) + imageRisk);
  };

  await db.workload.createMany({
    skipDuplicates: true,
    data: placed.map((p) => {
      const w = p.spec;
      const hasReplicas = w.kind === "Deployment" || w.kind === "StatefulSet";
      return {
        orgId,
        clusterId: need(clusterIds, p.cluster),
        namespaceId: need(nsIds, `${p.cluster}/${w.ns}`),
        kind: w.kind,
        name: w.name,
        uid: uuidFor(p.key),
        labels: { "app.kubernetes.io/name": w.app ?? w.name, "app.kubernetes.io/part-of": w.ns, ...(w.team ? { team: w.team } : {}), env: p.tier },
        annotations: w.kind === "Deployment" ? { "deployment.kubernetes.io/revision": String(intBetween(rand, 3, 40)) } : {},
        podSpec: podSpec(w, p.tier) as Prisma.InputJsonValue,
        replicas: hasReplicas ? (w.replicas ?? 1) : null,
        riskScore: riskOf(p),
        firstSeen: daysAgo(now, dayOffset(p.key) + 10),
        lastSeen: daysAgo(now, 0, rand() / 4),
      };
    }),
  });
  const workloadIds = byKey(
    await db.workload.findMany({ where: { orgId }, select: { id: true, kind: true, name: true, cluster: { select: { name: true } }, namespace: { select: { name: true } } } }),
    (w) => `${w.cluster.name}/${w.namespace.name}/${w.kind}/${w.name}`,
  );

  await db.container.createMany({
    skipDuplicates: true,
    data: placed.flatMap((p) =>
      p.spec.containers.map((c) => ({
        orgId,
        workloadId: need(workloadIds, p.key),
        name: c.name,
        type: c.init ? ("INIT" as const) : ("REGULAR" as const),
        imageRef: imageFor(c, p.tier),
        imageId: imageId(imageFor(c, p.tier)),
        securityContext: (podSpecContainer(podSpec(p.spec, p.tier), c.name)?.securityContext ?? {}) as Prisma.InputJsonValue,
      })),
    ),
  });

  const placedByKey = new Map(placed.map((p) => [p.key, p]));
  await db.finding.createMany({
    skipDuplicates: true,
    data: drafts.map((d) => {
      const p = d.workloadKey ? placedByKey.get(d.workloadKey) : undefined;
      return {
        orgId,
        fingerprint: d.fingerprint,
        type: d.type,
        severity: d.severity,
        status: d.resolvedDaysAgo !== undefined ? ("RESOLVED" as const) : ("OPEN" as const),
        title: d.title,
        description: d.description,
        ruleId: d.ruleId,
        source: d.source,
        imageId: d.imageRef ? imageId(d.imageRef) : null,
        workloadId: p ? need(workloadIds, p.key) : null,
        clusterId: p ? need(clusterIds, p.cluster) : null,
        namespaceId: p ? need(nsIds, `${p.cluster}/${p.spec.ns}`) : null,
        packageName: d.packageName ?? null,
        packageVersion: d.packageVersion ?? null,
        fixedVersion: d.fixedVersion ?? null,
        fixable: Boolean(d.fixedVersion),
        cvssScore: d.cvssScore ?? null,
        mitreTechniques: d.mitreTechniques,
        evidence: d.evidence as Prisma.InputJsonValue,
        remediation: d.remediation,
        occurrences: d.occurrences,
        firstSeen: daysAgo(now, d.firstSeenDaysAgo, 3),
        lastSeen: daysAgo(now, d.lastSeenDaysAgo),
        resolvedAt: d.resolvedDaysAgo !== undefined ? daysAgo(now, d.resolvedDaysAgo) : null,
        createdAt: daysAgo(now, d.firstSeenDaysAgo, 3),
      };
    }),
  });

  const runtimeDrafts = drafts.filter((d) => d.runtime);
  const findingIds = byKey(
    await db.finding.findMany({ where: { orgId, fingerprint: { in: runtimeDrafts.map((d) => d.fingerprint) } }, select: { id: true, fingerprint: true } }),
    (f) => f.fingerprint,
  );
  await db.runtimeEvent.createMany({
    skipDuplicates: true,
    data: runtimeDrafts.flatMap((d) => {
      const r = d.runtime!;
      const p = placedByKey.get(d.workloadKey!)!;
      return Array.from({ length: r.events }, (_, i) => ({
        id: seedId(`${estate.slug}|rt|${d.fingerprint}|${i}`),
        orgId,
        clusterId: need(clusterIds, p.cluster),
        namespace: r.ns,
        pod: `${r.workload}-${uuidFor(p.key).slice(0, 10)}-${uuidFor(`${p.key}|pod`).slice(0, 5)}`,
        container: r.container,
        workloadId: need(workloadIds, p.key),
        findingId: need(findingIds, d.fingerprint),
        rule: r.rule,
        priority: r.priority,
        source: "syscall",
        output: r.output,
        time: daysAgo(now, r.daysAgo, 2 + i * 0.7),
        fields: { ...r.fields, "k8s.ns.name": r.ns, "container.name": r.container, "evt.num": 1000 + i },
        tags: r.tags,
      }));
    }),
  });

  await db.scanRun.createMany({
    skipDuplicates: true,
    data: [
      ...estate.clusters.map((c, i) => ({
        id: seedId(`${estate.slug}|scan|ingest|${c.name}`),
        orgId,
        kind: "INGEST" as const,
        status: "SUCCEEDED" as const,
        trigger: `connector:${c.name}`,
        stats: { workloads: placed.filter((p) => p.cluster === c.name).length, durationMs: 1800 + i * 400 },
        startedAt: daysAgo(now, 0, 1 + i),
        finishedAt: daysAgo(now, 0, 0.99 + i),
      })),
      {
        id: seedId(`${estate.slug}|scan|full`),
        orgId,
        kind: "FULL" as const,
        status: "SUCCEEDED" as const,
        trigger: "schedule:nightly",
        stats: { images: specs.length, findings: drafts.length, durationMs: 42_500 },
        startedAt: daysAgo(now, 0, 6),
        finishedAt: daysAgo(now, 0, 5.98),
      },
    ],
  });

  return { clusters: estate.clusters.length, workloads: placed.length, images: specs.length, findings: drafts.length };
}

// System namespaces run host agents and are exempt; application namespaces only warn for now, which is
// exactly why the misconfiguration findings below exist.
function nsLabels(ns: string): Record<string, string> {
  const system = ns === "kube-system" || ns === "monitoring";
  return {
    "kubernetes.io/metadata.name": ns,
    ...(system ? { "pod-security.kubernetes.io/enforce": "privileged" } : { "pod-security.kubernetes.io/warn": "restricted" }),
  };
}

function podSpecContainer(spec: Record<string, unknown>, name: string): { securityContext?: unknown } | undefined {
  const all = [...((spec.initContainers as unknown[]) ?? []), ...((spec.containers as unknown[]) ?? [])] as Array<{ name: string; securityContext?: unknown }>;
  return all.find((c) => c.name === name);
}

function byKey<T extends { id: string }>(rows: T[], key: (row: T) => string): Map<string, string> {
  return new Map(rows.map((r) => [key(r), r.id]));
}

function need(map: Map<string, string>, key: string): string {
  const id = map.get(key);
  if (!id) throw new Error(`seed: missing row for ${key}`);
  return id;
}
