import { type Exception } from "@bulwark/db";
import { DEFAULT_REGISTRY, type PolicyException, policyExceptionSchema } from "@bulwark/policy";
import { readStoredScope } from "./scope.ts";

// An Exception row as the policy engine's exceptions (what bundles and the central admission endpoint
// carry). The engine matches an image by the reference as written in the pod spec, with `*` globs, and
// one pattern per exception; a repository or digest therefore becomes one engine exception per way of
// writing it, all with the row's id. Where the engine cannot express a scope exactly, the row is left
// out: waiving less than approved is safe, waiving more is not.

/** The ways a pod spec may name a normalized repository ("docker.io/library/nginx" → "nginx", "library/nginx", …). */
export function writtenForms(repository: string): string[] {
  const slash = repository.indexOf("/");
  const host = repository.slice(0, slash);
  const path = repository.slice(slash + 1);
  if (host !== DEFAULT_REGISTRY) return [repository];
  const paths = path.startsWith("library/") && path.indexOf("/", 8) === -1 ? [path, path.slice(8)] : [path];
  return ["", `${DEFAULT_REGISTRY}/`, "index.docker.io/"].flatMap((prefix) => paths.map((p) => `${prefix}${p}`));
}

/**
 * Engine image patterns for a repository and/or digest: every written form, bare (implicit latest),
 * with any tag, or pinned by digest. A repository path cannot contain ':' or '@', so `repo:*` and
 * `repo@*` never reach another repository. Undefined: the scope does not constrain the image.
 */
export function engineImagePatterns(imageRepository: string | undefined, imageDigest: string | undefined): string[] | undefined {
  if (imageRepository === undefined) return imageDigest === undefined ? undefined : [`*@${imageDigest}`];
  const forms = writtenForms(imageRepository);
  return imageDigest === undefined ? forms.flatMap((w) => [w, `${w}:*`, `${w}@*`]) : forms.flatMap((w) => [`${w}@${imageDigest}`, `${w}:*@${imageDigest}`]);
}

/**
 * The engine exceptions for a row whose scope names a policy; none when it names no policy (it is
 * about findings only), combines the policy with an advisory or rule (no violation carries those), or
 * holds anything the engine would refuse or this version cannot read.
 */
export function toPolicyExceptions(row: Pick<Exception, "id" | "scope" | "reason" | "expiresAt">): PolicyException[] {
  const { scope: s, unknownKeys } = readStoredScope(row.scope);
  if (!s.policyId || s.advisory !== undefined || s.rule !== undefined || unknownKeys.length > 0) return [];
  if (s.image !== undefined && (s.imageRepository !== undefined || s.imageDigest !== undefined)) return [];
  const images = s.image !== undefined ? [s.image] : engineImagePatterns(s.imageRepository, s.imageDigest);
  const base = {
    id: row.id,
    policyId: s.policyId,
    cluster: s.cluster,
    namespace: s.namespace,
    kind: s.kind,
    resourceName: s.workload,
    container: s.container,
    expiresAt: row.expiresAt?.toISOString(),
    reason: row.reason.slice(0, 2000),
  };
  const out: PolicyException[] = [];
  for (const image of images ?? [undefined]) {
    const candidate = Object.fromEntries(Object.entries({ ...base, image }).filter(([, v]) => v !== undefined));
    const parsed = policyExceptionSchema.safeParse(candidate);
    // A row is carried whole or not at all, so admission waives exactly what was approved or nothing.
    if (!parsed.success) return [];
    out.push(parsed.data);
  }
  return out;
}
