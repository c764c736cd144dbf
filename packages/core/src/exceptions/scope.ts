import { parseImageReference, POLICY_ID } from "@bulwark/policy";
import { z } from "zod";

// What an exception covers: the scope's schema, how stored scopes are read, and hints for whoever
// writes one. One scope serves both sides of an exception: the findings it suppresses (./match.ts)
// and, when it names a policy, the violations admission waives (./engine.ts). Every field the scope
// sets must match; a scope that cannot be read matches nothing, never everything.

/** Kubernetes object names (DNS subdomain), as clusters are named too. */
const NAME_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** Namespaces and containers (DNS label). */
const LABEL_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, DSA-5555-1, RHSA-2024:1234, PYSEC-2021-1, GO-2022-0001, … */
const ADVISORY_RE = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** Fields matched against findings (and, with policyId, carried to admission). */
export const FINDING_FIELDS = ["advisory", "policyId", "rule", "imageRepository", "imageDigest", "cluster", "namespace", "workload", "kind"] as const;
/** Fields only admission can evaluate: a finding aggregates a resource's violations across containers. */
export const ENGINE_ONLY_FIELDS = ["container", "image"] as const;
export const SCOPE_FIELDS = [...FINDING_FIELDS, ...ENGINE_ONLY_FIELDS] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];
/** Keys older rows (and the policy engine) use for the same fields. */
const LEGACY_KEYS: Record<string, ScopeField> = { policy: "policyId", resourceName: "workload", cve: "advisory" };
const RULE_FIELDS = ["advisory", "policyId", "rule"] as const;
export const LOCATION_FIELDS = ["cluster", "namespace", "workload", "kind"] as const;

/** "nginx", "docker.io/nginx", "ghcr.io/acme/api" → "docker.io/library/nginx", "ghcr.io/acme/api"; null when not a bare repository. */
export function normalizeRepository(input: string): string | null {
  const parsed = parseImageReference(input.trim());
  if (!parsed.ok || parsed.ref.tag !== undefined || parsed.ref.digest !== undefined) return null;
  return `${parsed.ref.registry}/${parsed.ref.repository}`;
}

const name = (max: number, re: RegExp, what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(re, `${what}: lower-case letters, digits and '-'${re === NAME_RE ? " or '.'" : ""}, starting and ending with a letter or digit (no wildcards)`);

export const exceptionScopeSchema = z
  .strictObject({
    advisory: z
      .string()
      .trim()
      .max(100)
      .regex(ADVISORY_RE, "An advisory id such as CVE-2024-1234 or GHSA-xxxx-xxxx-xxxx")
      // Scanners write CVE ids upper-case; people type them either way.
      .transform((v) => (/^cve-/i.test(v) ? v.toUpperCase() : v))
      .optional()
      .meta({ description: "CVE/GHSA/DSA/… id; also matches the advisory's aliases", example: "CVE-2024-3094" }),
    policyId: z.string().trim().regex(POLICY_ID, "A policy key (lower-kebab-case)").optional().meta({ description: "Policy key; also waives the policy at admission", example: "no-privileged" }),
    rule: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "Scanner check id or Falco rule, compared with the finding's rule id", example: "AVD-KSV-0017" }),
    imageRepository: z
      .string()
      .trim()
      .max(512)
      .transform((v, ctx) => {
        const repo = normalizeRepository(v);
        if (repo === null) {
          ctx.addIssue({ code: "custom", message: 'A repository without tag or digest, e.g. "ghcr.io/acme/api" or "nginx" (use imageDigest for a digest)' });
          return z.NEVER;
        }
        return repo;
      })
      .optional()
      .meta({ description: 'registry/repository; Docker Hub short forms are normalized ("nginx" → "docker.io/library/nginx")', example: "ghcr.io/acme/api" }),
    imageDigest: z.string().trim().regex(DIGEST_RE, "sha256:<64 lower-case hex>").optional(),
    cluster: name(253, NAME_RE, "A cluster name").optional(),
    namespace: name(63, LABEL_RE, "A namespace").optional(),
    workload: name(253, NAME_RE, "A workload name").optional(),
    kind: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Za-z0-9]{0,62}$/, "A Kubernetes kind such as Deployment")
      .optional()
      .meta({ description: "Workload kind (Deployment, DaemonSet, …)" }),
    container: name(63, LABEL_RE, "A container name").optional().meta({ description: "Admission only: narrows a policy exception to one container" }),
    image: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .regex(/^\S+$/, "No spaces")
      .optional()
      .meta({ description: "Admission only: the image reference as written in the pod spec; `*` matches any run of characters" }),
  })
  .superRefine((s, ctx) => {
    const set = SCOPE_FIELDS.filter((f) => s[f] !== undefined);
    if (set.length === 0) ctx.addIssue({ code: "custom", message: `Set at least one of ${SCOPE_FIELDS.join(", ")}` });
    const rules = RULE_FIELDS.filter((f) => s[f] !== undefined);
    // All three are compared with the finding's rule id: two of them could only match if equal.
    for (const f of rules.slice(1)) ctx.addIssue({ code: "custom", path: [f], message: `Set only one of ${RULE_FIELDS.join(", ")}` });
    if (s.image !== undefined && (s.imageRepository !== undefined || s.imageDigest !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["image"], message: "Use either image (admission pattern) or imageRepository/imageDigest" });
    }
    for (const f of ENGINE_ONLY_FIELDS) {
      if (s[f] !== undefined && s.policyId === undefined) ctx.addIssue({ code: "custom", path: [f], message: `${f} narrows a policy exception at admission: set policyId too` });
    }
  });

export type ExceptionScope = z.output<typeof exceptionScopeSchema>;

export interface StoredScope {
  scope: ExceptionScope;
  /** Keys this version does not know: such a scope matches nothing rather than ignoring a constraint. */
  unknownKeys: string[];
}

/**
 * A stored scope as written by any version (legacy keys included), without format checks: rows
 * written before validation existed still read, and compare by equality (a legacy wildcard then
 * matches no finding; admission still reads it, see ./engine.ts).
 */
export function readStoredScope(json: unknown): StoredScope {
  const raw = json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const scope: Record<string, string> = {};
  const unknownKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const field = (SCOPE_FIELDS as readonly string[]).includes(key) ? (key as ScopeField) : LEGACY_KEYS[key];
    if (value === undefined || value === null || value === "") continue;
    if (!field || typeof value !== "string") {
      unknownKeys.push(key);
      continue;
    }
    // The current key wins over its legacy spelling.
    if (scope[field] === undefined || key === field) scope[field] = field === "imageRepository" ? (normalizeRepository(value) ?? value) : value;
  }
  return { scope: scope as ExceptionScope, unknownKeys };
}

/** The scope fields that are set, in a stable order (for audit metadata and display). */
export function setFields(scope: ExceptionScope): ScopeField[] {
  return SCOPE_FIELDS.filter((f) => scope[f] !== undefined);
}

/** Hints for whoever writes a scope (the API returns them as `notes`, the UI shows them). */
export function scopeNotes(stored: StoredScope): string[] {
  const s = stored.scope;
  const notes: string[] = [];
  if (stored.unknownKeys.length > 0) notes.push(`Unknown scope fields (${stored.unknownKeys.join(", ")}): this exception matches no finding.`);
  if (LOCATION_FIELDS.some((f) => s[f] !== undefined)) {
    notes.push(
      "cluster, namespace, workload and kind match findings tied to a place: runtime events, admission decisions, workload checks (runtime events from a workload the inventory does not know match by the names they recorded, but never by kind). Image findings (vulnerabilities, secrets, malware in an image) have no location, so a location-scoped exception does not cover them: scope those by imageRepository or imageDigest.",
    );
  }
  if (s.imageRepository !== undefined && s.imageDigest === undefined) {
    notes.push("imageRepository also matches runtime findings (Falco events, process baseline anomalies) of containers running that repository.");
  }
  if (s.advisory !== undefined) notes.push(`advisory also matches the advisory's aliases (e.g. the GHSA id of a CVE), as known to the advisory database.`);
  if (ENGINE_ONLY_FIELDS.some((f) => s[f] !== undefined)) notes.push("container and image only narrow what admission waives; an exception that sets them suppresses no findings.");
  if (s.policyId !== undefined) notes.push("Once approved, the enforcement bundle carries this exception: admission waives the policy's violations within this scope.");
  return notes;
}
