import { type ClusterSpec, clusterWorkloads, type EstateSpec, type RegistrySpec, type RuntimeSpec } from "./estates.ts";
import { imageSpec } from "./images.ts";
import { podsOf } from "./kubernetes.ts";
import { imageFor } from "./podspec.ts";
import { daysAgo, digestFor, hexFor, intBetween, parseImageRef, prng, uuidFor } from "./util.ts";

// Falco alerts as falcosidekick's webhook output posts them, one event per request, and the image
// lists a registry connector sends (tags, signature, the registry's malware verdict).

export interface FalcoPost {
  cluster: string;
  at: Date;
  key: string;
  body: Record<string, unknown>;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** Falco's output line starts with the event's wall-clock time and priority. */
function falcoOutput(time: Date, priority: string, message: string): string {
  const hms = time.toISOString().slice(11, 19);
  const nanos = `${String(time.getUTCMilliseconds()).padStart(3, "0")}${hexFor(`${time.getTime()}`, 6).replace(/[a-f]/g, "0")}`;
  return `${hms}.${nanos}: ${priority} ${message}`;
}

export function falcoPosts(estate: EstateSpec, anchor: Date): FalcoPost[] {
  const out: FalcoPost[] = [];
  for (const r of estate.runtime) {
    const cluster = estate.clusters.find((c) => c.name === r.cluster);
    if (!cluster) throw new Error(`seed: runtime event on unknown cluster ${r.cluster}`);
    const placed = whereItRan(estate, cluster, r);
    const container = placed.spec.containers.find((c) => c.name === r.container);
    if (!container) throw new Error(`seed: ${r.workload} has no container ${r.container}`);
    const image = parseImageRef(imageFor(container, placed.tier));
    const pod = podsOf(cluster, placed)[0]!;
    for (let i = 0; i < r.events; i++) {
      const time = daysAgo(anchor, r.daysAgo, 2 + i * 0.7);
      const repository = `${image.registryHost}/${image.repository}`;
      out.push({
        cluster: r.cluster,
        at: new Date(time.getTime() + 1_500),
        key: `${r.cluster}:${r.ns}:${r.workload}:${slug(r.rule)}:${i}`,
        body: {
          uuid: uuidFor(`${estate.slug}|falco|${r.cluster}|${r.workload}|${r.rule}|${i}`),
          output: falcoOutput(time, r.priority, r.output),
          priority: r.priority,
          rule: r.rule,
          time: time.toISOString(),
          source: "syscall",
          hostname: pod.node,
          tags: r.tags,
          output_fields: {
            ...r.fields,
            // falcosidekick's customfields: the connector names the cluster it runs in.
            cluster: r.cluster,
            "container.id": hexFor(`${pod.name}|${r.container}`, 12),
            "container.name": r.container,
            "container.image.repository": repository,
            "container.image.tag": image.tag,
            "evt.time": time.getTime() * 1_000_000,
            "k8s.ns.name": r.ns,
            "k8s.pod.name": pod.name,
          },
        },
      });
    }
  }
  return out;
}

/** The workload as it ran when the events happened: now, or in the snapshot that still had it. */
function whereItRan(estate: EstateSpec, cluster: ClusterSpec, r: RuntimeSpec) {
  for (const snap of [undefined, ...[...cluster.snapshots].reverse()]) {
    const hit = clusterWorkloads(estate, cluster, snap).find((p) => p.spec.ns === r.ns && p.spec.name === r.workload);
    if (hit) return hit;
  }
  throw new Error(`seed: runtime event on unknown workload ${r.cluster}/${r.ns}/${r.workload}`);
}

/** Digests were pushed this many days before the anchor, before the oldest inventory saw them run. */
export function pushedDaysAgo(slugName: string, ref: string): number {
  return intBetween(prng(`${slugName}|pushed|${ref}`), 31, 44);
}

/** A registry connector's image list at `at`: every image of this registry the organization uses. */
export function registryImages(
  slugName: string,
  registry: RegistrySpec,
  refs: string[],
  at: Date,
  anchor: Date,
  flagged: Record<string, string> = {},
): Record<string, unknown> {
  const prefix = `${registry.host}/`;
  const images = refs
    .filter((ref) => ref.startsWith(prefix))
    .map((ref) => {
      const spec = imageSpec(ref);
      const p = parseImageRef(ref);
      const signature = flagged[ref] ?? spec.malware?.rule;
      return {
        digest: digestFor(ref),
        repository: ref.slice(prefix.length, ref.lastIndexOf(":")),
        tags: [p.tag],
        pushedAt: daysAgo(anchor, pushedDaysAgo(slugName, ref)).toISOString(),
        signature: spec.signed ? { verified: true, signer: `https://github.com/${p.repository.split("/")[0]}/.github/workflows/release.yml@refs/heads/main`, method: "cosign" } : { verified: false },
        malwareScan: {
          verdict: signature ? "malicious" : "clean",
          scanner: "ClamAV 1.3.1",
          ...(signature ? { signatures: [signature] } : {}),
          scannedAt: daysAgo(at, 0, 0.5).toISOString(),
        },
      };
    });
  return { registry: { name: registry.name, host: registry.host }, images };
}
