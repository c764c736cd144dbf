import { type Db } from "@bulwark/db";

// Issue 7's estate: one organization with 50 clusters, 1,000 namespaces, 20,000 workloads, 5,000
// images and 1,000,000 findings, written by SQL (generate_series) in about a minute. Shaped like a
// real estate: most findings are image vulnerabilities (180 per image, 85% open, 60% fixable, CVE ids
// shared across images), then workload-level misconfigurations, runtime alerts with MITRE ids,
// admission policy violations, secrets and malware; workloads run 1–2 containers on a skewed choice of
// images; 3 clusters are stale and 5 have no enforcement point.

export const SIZES = { clusters: 50, namespacesPerCluster: 20, workloads: 20_000, images: 5_000, vulnsPerImage: 180 } as const;

const ids = (prefix: string, n: string) => `'${prefix}' || lpad((${n})::text, 6, '0')`;

export async function generateDashboardEstate(db: Db, orgId: string): Promise<void> {
  const { clusters, namespacesPerCluster, workloads, images, vulnsPerImage } = SIZES;
  const namespaces = clusters * namespacesPerCluster;
  const exec = (sql: string) => db.$executeRawUnsafe(sql, orgId);
  await exec(`INSERT INTO "Cluster" (id, "orgId", name, provider, "kubernetesVersion", "lastReportAt", "createdAt", "updatedAt")
    SELECT ${ids("cl", "c")}, $1, 'cluster-' || lpad(c::text, 2, '0'), (ARRAY['eks','gke','aks','kind'])[1 + c % 4], 'v1.31.2',
      now() - CASE WHEN c >= ${clusters - 3} THEN interval '3 hours' ELSE interval '2 minutes' END, now() - interval '90 days', now()
    FROM generate_series(0, ${clusters - 1}) c`);
  await exec(`INSERT INTO "Namespace" (id, "orgId", "clusterId", name, labels, "firstSeen", "lastSeen")
    SELECT ${ids("ns", "n")}, $1, ${ids("cl", `n / ${namespacesPerCluster}`)}, (ARRAY['default','payments','checkout','search','auth','web','api','batch','monitoring','logging',
      'ingress','data','ml','cache','queue','billing','reports','admin','kube-system','tools'])[1 + n % ${namespacesPerCluster}], '{}', now() - interval '90 days', now()
    FROM generate_series(0, ${namespaces - 1}) n`);
  await exec(`INSERT INTO "Image" (id, "orgId", digest, "registryHost", repository, tags, "signatureVerified", "malwareVerdict", "firstSeen", "lastSeen", "lastScannedAt", "matchedAt")
    SELECT ${ids("im", "i")}, $1, 'sha256:' || md5('im' || i) || md5('x' || i), CASE WHEN i % 10 = 9 THEN 'docker.io' ELSE 'ghcr.io' END,
      'acme/svc-' || (i % 500), ARRAY['v1.' || (i / 500)], i % 4 <> 0, CASE WHEN i % 1000 = 7 THEN 'malicious' ELSE 'clean' END,
      now() - interval '60 days', now(), now() - ((i % 12) || ' days')::interval, now()
    FROM generate_series(0, ${images - 1}) i`);
  // Workload w lives in namespace w % namespaces (so every namespace holds 20), cluster = namespace / 20.
  await exec(`INSERT INTO "Workload" (id, "orgId", "clusterId", "namespaceId", kind, name, labels, annotations, "podSpec", replicas, "riskScore", "riskFactors",
      "pssLevel", "nonRoot", "readOnlyRootFs", "trustedImages", "policyResults", "evaluatedAt", "firstSeen", "lastSeen", "createdInCluster")
    SELECT ${ids("wl", "w")}, $1, ${ids("cl", `(w % ${namespaces}) / ${namespacesPerCluster}`)}, ${ids("ns", `w % ${namespaces}`)},
      (ARRAY['Deployment','Deployment','StatefulSet','DaemonSet','CronJob'])[1 + w % 5], 'app-' || w, jsonb_build_object('app', 'app-' || w), '{}',
      jsonb_build_object('containers', jsonb_build_array(jsonb_build_object('name', 'main', 'image', 'ghcr.io/acme/svc-' || (w % 500) || ':v1'))), 1 + w % 3,
      (w * 37) % 101, jsonb_build_array(jsonb_build_object('key', 'fixable-critical', 'points', 30, 'reason', 'fixable critical vulnerabilities')),
      (ARRAY['restricted','baseline','baseline','privileged'])[1 + w % 4], w % 3 <> 0, w % 5 < 2, CASE WHEN w % 10 = 9 THEN false ELSE true END,
      '[]', now(), now() - interval '80 days', now(), now() - interval '80 days'
    FROM generate_series(0, ${workloads - 1}) w`);
  // Container images: a skewed choice (popular base services run in many workloads).
  await exec(`INSERT INTO "Container" (id, "orgId", "workloadId", name, type, "imageRef", "imageId", "securityContext")
    SELECT ${ids("ct", "w")} || '-' || k, $1, ${ids("wl", "w")}, CASE k WHEN 0 THEN 'main' ELSE 'sidecar' END, 'REGULAR', 'image:' || w,
      ${ids("im", `CASE k WHEN 0 THEN (w * 7919) % ${images} ELSE (w % 50) END`)}, '{}'
    FROM generate_series(0, ${workloads - 1}) w, generate_series(0, 1) k WHERE k = 0 OR w % 2 = 0`);
  await exec(`INSERT INTO "EnforcementPoint" (id, "orgId", "clusterId", name, "agentVersion", "bundleVersion", "lastHeartbeatAt", "createdAt", "updatedAt")
    SELECT ${ids("ep", "c")}, $1, ${ids("cl", "c")}, 'enforcer-' || c, '0.1.0', 7, now() - interval '30 seconds', now() - interval '60 days', now()
    FROM generate_series(0, ${clusters - 6}) c`);

  const status = (k: string) => `(CASE WHEN (${k}) % 20 < 17 THEN 'OPEN' WHEN (${k}) % 20 < 19 THEN 'RESOLVED' ELSE 'SUPPRESSED' END)::"FindingStatus"`;
  const sev = (k: string) => `(ARRAY['CRITICAL','HIGH','HIGH','MEDIUM','MEDIUM','MEDIUM','LOW','LOW','INFO','LOW'])[1 + (${k}) % 10]::"Severity"`;
  // 900,000 image vulnerabilities: CVE ids drawn from 20,000 so the same CVE sits in many images.
  await exec(`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "imageId", "packageName", "packageVersion",
      "fixedVersion", fixable, "cvssScore", "mitreTechniques", "firstSeen", "lastSeen", "createdAt", "updatedAt", "resolvedAt")
    SELECT 'fv' || i || '-' || j, $1, 'v:' || i || ':' || j, 'VULNERABILITY', ${sev("i * 31 + j * 7")}, ${status("i + j * 3")},
      'CVE-2025-' || ((i * 131 + j * 977) % 20000) || ' in pkg-' || (j % 400), 'CVE-2025-' || ((i * 131 + j * 977) % 20000), CASE WHEN j % 3 = 0 THEN 'trivy' ELSE 'bulwark' END,
      ${ids("im", "i")}, 'pkg-' || (j % 400), '1.' || (j % 30) || '.0', CASE WHEN (i + j) % 5 < 3 THEN '1.' || (j % 30) || '.9' END, (i + j) % 5 < 3,
      round((2 + ((i * 31 + j * 7) % 80) / 10.0)::numeric, 1), '{}',
      now() - (((i + j) % 90) || ' days')::interval, now() - (((i * j) % 3) || ' hours')::interval, now(), now(),
      CASE WHEN (i + j * 3) % 20 BETWEEN 17 AND 18 THEN now() - interval '1 day' END
    FROM generate_series(0, ${images - 1}) i, generate_series(0, ${vulnsPerImage - 1}) j`);
  const wl = (alias: string) => `${ids("wl", alias)}, ${ids("cl", `(${alias} % ${namespaces}) / ${namespacesPerCluster}`)}, ${ids("ns", `${alias} % ${namespaces}`)}`;
  // 60,000 misconfigurations (3 policies per workload), 20,000 runtime alerts, 10,000 admission violations.
  await exec(`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "workloadId", "clusterId", "namespaceId",
      "mitreTechniques", "firstSeen", "lastSeen", "createdAt", "updatedAt")
    SELECT 'fm' || w || '-' || k, $1, 'm:' || w || ':' || k, 'MISCONFIGURATION', ${sev("w + k * 3")}, ${status("w * 3 + k")},
      'Policy ' || p || ' fails', p, 'bulwark-policy', ${wl("w")},
      CASE p WHEN 'no-privileged' THEN ARRAY['T1611'] WHEN 'no-host-path' THEN ARRAY['T1611'] ELSE '{}' END,
      now() - ((w % 60) || ' days')::interval, now() - interval '10 minutes', now(), now()
    FROM generate_series(0, ${workloads - 1}) w, generate_series(0, 2) k,
      LATERAL (SELECT (ARRAY['run-as-non-root','read-only-root-fs','drop-all-capabilities','no-privileged','resource-limits','no-host-path'])[1 + (w + k * 2) % 6] AS p) x`);
  await exec(`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "workloadId", "clusterId", "namespaceId",
      "mitreTechniques", occurrences, "firstSeen", "lastSeen", "createdAt", "updatedAt")
    SELECT 'fr' || w, $1, 'r:' || w, 'RUNTIME', ${sev("w * 3")}, ${status("w * 7")}, r.rule, r.rule, 'falco', ${wl("w")}, r.t, 1 + w % 40,
      now() - ((w % 20) || ' days')::interval, now() - ((w % 600) || ' minutes')::interval, now(), now()
    FROM generate_series(0, ${workloads - 1}) w,
      LATERAL (SELECT (ARRAY['Terminal shell in container','Write below etc','Drop and execute new binary','Contact K8S API Server From Container','Read sensitive file untrusted'])[1 + w % 5] AS rule,
                      CASE w % 5 WHEN 0 THEN ARRAY['T1059'] WHEN 1 THEN ARRAY['T1543'] WHEN 2 THEN ARRAY['T1105', 'T1036'] WHEN 3 THEN ARRAY['T1613']
                        ELSE ARRAY['T1552.001'] END AS t) r`);
  await exec(`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "workloadId", "clusterId", "namespaceId",
      "mitreTechniques", "firstSeen", "lastSeen", "createdAt", "updatedAt")
    SELECT 'fp' || w, $1, 'p:' || w, 'POLICY_VIOLATION', 'HIGH', ${status("w")}, 'Admission denied by no-privileged', CASE WHEN w % 4 = 0 THEN 'deployed-without-admission' ELSE 'no-privileged' END,
      CASE WHEN w % 4 = 0 THEN 'admission-coverage' ELSE 'admission' END, ${wl("w * 2")}, CASE WHEN w % 4 = 0 THEN ARRAY['T1610'] ELSE ARRAY['T1611'] END,
      now() - ((w % 30) || ' days')::interval, now() - interval '1 hour', now(), now()
    FROM generate_series(0, ${workloads / 2 - 1}) w`);
  // 5,000 secrets and 5,000 malware findings, image-level.
  await exec(`INSERT INTO "Finding" (id, "orgId", fingerprint, type, severity, status, title, "ruleId", source, "imageId", "mitreTechniques", "firstSeen", "lastSeen", "createdAt", "updatedAt")
    SELECT 'fs' || k || '-' || i, $1, 's:' || k || ':' || i, (ARRAY['SECRET','MALWARE'])[1 + k]::"FindingType", CASE k WHEN 0 THEN 'HIGH' ELSE 'CRITICAL' END::"Severity", ${status("i")},
      CASE k WHEN 0 THEN 'AWS access key in /app/config.yaml' ELSE 'EICAR test file' END, CASE k WHEN 0 THEN 'aws-access-key-id' ELSE 'eicar' END,
      'trivy', ${ids("im", "i")}, CASE k WHEN 0 THEN ARRAY['T1552.001'] ELSE ARRAY['T1204.003'] END, now() - interval '5 days', now(), now(), now()
    FROM generate_series(0, ${images - 1}) i, generate_series(0, 1) k`);
  await exec(`INSERT INTO "PostureSnapshot" (id, "orgId", day, score, "openBySeverity", "openByType", clusters, workloads, images)
    SELECT 'ps' || d, $1, current_date - d, 40 + d % 15, jsonb_build_object('CRITICAL', 90000 + d * 100, 'HIGH', 170000, 'MEDIUM', 250000, 'LOW', 250000, 'INFO', 80000), '{}',
      ${clusters}, ${workloads}, ${images}
    FROM generate_series(1, 30) d`);
  for (const t of ["Cluster", "Namespace", "Image", "Workload", "Container", "EnforcementPoint", "Finding", "FindingTally", "PostureSnapshot"]) {
    await db.$executeRawUnsafe(`VACUUM ANALYZE "${t}"`);
  }
}
