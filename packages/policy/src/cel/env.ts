import { Environment } from "@marcbachmann/cel-js";

// One CEL environment for every policy: building an Environment is the expensive part, parsing and
// evaluating against it is cheap. All variables are `dyn` because they hold untrusted JSON whose shape
// is only known at evaluation time; type errors that can be seen statically (`1 + 'a'`, unknown
// functions, unknown variables) are still reported at compile time.

export interface CelVariable {
  name: string;
  description: string;
  /** Rules that read this variable are evaluated once per container (see docs/policies.md). */
  perContainer: boolean;
}

/** The variables a CEL rule can read, as data so the dashboard can show them beside the editor. */
export const CEL_VARIABLES: readonly CelVariable[] = [
  { name: "object", perContainer: false, description: "The Kubernetes resource exactly as given (manifest or API object)." },
  { name: "resource", perContainer: false, description: "Normalized metadata: apiVersion, kind, name, namespace ('' when cluster-scoped), labels, annotations, podLabels, podAnnotations (always present, possibly empty), cluster ('' when unknown)." },
  { name: "podSpec", perContainer: false, description: "The pod spec of a pod-bearing resource (Pod, Deployment, CronJob, …); {} for other kinds." },
  { name: "containers", perContainer: false, description: "All containers of the pod spec: regular, then init, then ephemeral ([] for other kinds)." },
  { name: "settings", perContainer: false, description: "Organization settings: trustedRegistries (list of registry hosts)." },
  { name: "request", perContainer: false, description: "The admission request (operation, userInfo {username, groups}, namespace, dryRun). Rules that read it are only evaluated at admission." },
  { name: "container", perContainer: true, description: "The container being judged, as written in the manifest. Rules that read it run once per container." },
  { name: "image", perContainer: true, description: "The judged container's image: ref, registry, repository, tag, digest, and the scan facts vulnerabilities {critical, high, medium, low, fixableCritical, fixableHigh, ids}, malware {detected, signatures}, signature {verified, signer}, scannedAt. Containers whose image has no scan facts are skipped." },
];

export const CEL_VARIABLE_NAMES: ReadonlySet<string> = new Set(CEL_VARIABLES.map((v) => v.name));

function createEnvironment(): Environment {
  const env = new Environment({
    // `.?field` and `.orValue()` read optional manifest fields without has() chains.
    enableOptionalTypes: true,
    // Manifests mix types in lists (`[80, "http"]`); literals in rules may too.
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes: 5_000, maxDepth: 100 },
  });
  for (const v of CEL_VARIABLES) env.registerVariable(v.name, "dyn", { description: v.description });
  return env;
}

/** The shared environment. Frozen against new registrations as soon as anything clones it. */
export const celEnvironment: Environment = createEnvironment();
