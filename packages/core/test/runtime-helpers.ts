import { type Db } from "@bulwark/db";
import { type OrgContext } from "../src/context.ts";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { makeMember, userCtx } from "./helpers.ts";
import { ingestOrg, post } from "./ingest-helpers.ts";

// Runtime test material: a small inventory to resolve workloads against, and Falco syscall events in
// the falcosidekick shape with the fields baselines read (proc.exepath, container.name, user.name).

export interface DeploymentSpec {
  namespace: string;
  name: string;
  containers?: string[];
}

/** A Kubernetes List of Namespaces and Deployments, as a cluster connector sends it. */
export function deploymentList(deployments: DeploymentSpec[]) {
  const namespaces = [...new Set(deployments.map((d) => d.namespace))];
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      ...namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, uid: `ns-${name}` } })),
      ...deployments.map((d, i) => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: d.name, namespace: d.namespace, uid: `dep-${d.namespace}-${d.name}-${i}` },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: d.name } },
          template: {
            metadata: { labels: { app: d.name } },
            spec: { containers: (d.containers ?? ["app"]).map((c) => ({ name: c, image: `registry.example.com/acme/${d.name}:1.0` })) },
          },
        },
      })),
    ],
  };
}

export interface EventSpec {
  time: Date | string;
  process?: string;
  cluster?: string;
  namespace?: string;
  /** The workload's Deployment name; the pod gets a ReplicaSet-style name. */
  workload?: string;
  container?: string | null;
  rule?: string;
  priority?: string;
  uuid?: string;
  tags?: string[];
  cmdline?: string;
  image?: string;
}

let seq = 0;

/** A syscall event (defaults: "Run process" rule, Notice, cluster edge, namespace shop, workload web, container app). */
export function syscallEvent(spec: EventSpec) {
  const time = typeof spec.time === "string" ? spec.time : spec.time.toISOString();
  const process = spec.process ?? "/usr/bin/nginx";
  const name = process.slice(process.lastIndexOf("/") + 1);
  const rule = spec.rule ?? "Run process";
  const fields: Record<string, unknown> = {
    "k8s.cluster.name": spec.cluster ?? "edge",
    "k8s.ns.name": spec.namespace ?? "shop",
    "k8s.pod.name": `${spec.workload ?? "web"}-7d59548d75-wh4bs`,
    "container.id": "3ad7b26ded6d",
    "container.image.repository": spec.image ?? "registry.example.com/acme/web",
    "container.image.tag": "1.0",
    "proc.exepath": process,
    "proc.name": name,
    "proc.cmdline": spec.cmdline ?? `${name} -x`,
    "user.name": "root",
  };
  if (spec.container !== null) fields["container.name"] = spec.container ?? "app";
  return {
    ...(spec.uuid ? { uuid: spec.uuid } : {}),
    output: `${time}: ${spec.priority ?? "Notice"} ${rule} (proc=${process} n=${seq++})`,
    priority: spec.priority ?? "Notice",
    rule,
    time,
    source: "syscall",
    hostname: "node-1",
    tags: spec.tags ?? ["process"],
    output_fields: fields,
  };
}

export const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

/** An organization with an ingest token, an admin, and the given workloads inventoried in cluster `edge`. */
export async function runtimeOrg(db: Db, deployments: DeploymentSpec[] = [{ namespace: "shop", name: "web" }], learningMinutes?: number) {
  const { org, ctx } = await ingestOrg(db);
  if (deployments.length) await post(db, ctx, "INVENTORY", deploymentList(deployments), "edge");
  if (learningMinutes !== undefined) await db.organization.update({ where: { id: org.id }, data: { baselineLearningMinutes: learningMinutes } });
  const admin = await makeMember(db, org.id, "ADMIN");
  const analyst = await makeMember(db, org.id, "ANALYST");
  return {
    org,
    ctx,
    admin: userCtx(org.id, admin.user, "ADMIN"),
    analyst: userCtx(org.id, analyst.user, "ANALYST"),
    workload: async (name = "web") => db.workload.findFirstOrThrow({ where: { orgId: org.id, name } }),
  };
}

/** Posts events as one FALCO report and processes it alone; answers its result (counts, alerts). */
export async function sendEvents(db: Db, ctx: OrgContext, events: unknown[]) {
  const accepted = await acceptReport(db, null, ctx, { kind: "FALCO", body: events, subject: null });
  const result = await processReport(db, accepted.id, { batchSize: 1 });
  return { ...result, counts: result.counts as Record<string, number> };
}
