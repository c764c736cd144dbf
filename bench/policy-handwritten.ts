import {
  BUILTIN_POLICY_IDS,
  detectSecret,
  exposedRuntimeSocket,
  isAllowedDeployer,
  parseImageRef,
  SENSITIVE_PORTS,
  type EvaluationInput,
  type ImageRef,
  type JsonObject,
  type Violation,
} from "@bulwark/policy";

// The benchmark's baseline: the same checks as the 21 built-ins, written the way one would without an
// engine: one function, one pass over the containers, every check inlined, violations pushed into one
// array per policy. It shares only the leaf helpers (secret detection, runtime-socket paths, image
// reference parsing) with the built-ins, so the ratio measures the engine's structure, not those.

const obj = (v: unknown): JsonObject | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined);
const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const show = (v: unknown) => (v === undefined ? "not set" : typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)));
const cap = (v: unknown) => (typeof v === "string" ? (v.toUpperCase().startsWith("CAP_") ? v.toUpperCase().slice(4) : v.toUpperCase()) : show(v));
const isLimit = (v: unknown) => (typeof v === "string" ? v !== "" && v !== "0" : typeof v === "number" && v > 0);
const STRONG_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const CONTROLLERS = new Set(["system:kube-controller-manager", "system:serviceaccount:kube-system:replicaset-controller", "system:serviceaccount:kube-system:job-controller"]);

const refs = new Map<string, { ref: ImageRef; registry: string; name: string } | null>();
function parsed(image: string) {
  let hit = refs.get(image);
  if (hit === undefined) {
    const ref = parseImageRef(image);
    hit = ref ? { ref, registry: ref.registry.toLowerCase(), name: `${ref.registry.toLowerCase()}/${ref.repository}` } : null;
    refs.set(image, hit);
  }
  return hit ?? undefined;
}

const allowlists = new WeakMap<readonly string[], { hosts: Set<string>; prefixes: string[] }>();
function allowlist(entries: readonly string[]) {
  let list = allowlists.get(entries);
  if (!list) {
    list = { hosts: new Set(), prefixes: [] };
    for (const raw of entries) {
      const e = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/+$/, "");
      const slash = e.indexOf("/");
      const host = (slash >= 0 ? e.slice(0, slash) : e).toLowerCase();
      if (slash >= 0) list.prefixes.push(host + e.slice(slash));
      else list.hosts.add(host === "index.docker.io" ? "docker.io" : host);
    }
    allowlists.set(entries, list);
  }
  return list;
}

function port(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "" && v.length <= 5 && Number.isInteger(Number(v))) return Number(v);
  return undefined;
}

const P = Object.fromEntries(BUILTIN_POLICY_IDS.map((id, i) => [id, i])) as Record<(typeof BUILTIN_POLICY_IDS)[number], number>;

/** Violations of every built-in, one array per policy in BUILTIN_POLICY_IDS order. */
export function handWritten(input: EvaluationInput): Violation[][] {
  const out: Violation[][] = BUILTIN_POLICY_IDS.map(() => []);
  const { resource, settings, request, images } = input;
  const podSpec = resource.podSpec;
  if (podSpec === undefined) return out;
  const base = resource.podSpecPath ?? "";
  const podSc = obj(podSpec["securityContext"]);
  const windows = obj(podSpec["os"])?.["name"] === "windows";
  const podHostProcess = obj(podSc?.["windowsOptions"])?.["hostProcess"] === true;
  const hostNetwork = podSpec["hostNetwork"] === true;
  if (podHostProcess) out[P["no-privileged"]]!.push({ message: "The pod runs as a Windows HostProcess pod", path: `${base}.securityContext.windowsOptions.hostProcess`, evidence: "hostProcess: true" });
  if (podSc?.["runAsUser"] === 0) out[P["run-as-non-root"]]!.push({ message: "The pod sets runAsUser 0 (root)", path: `${base}.securityContext.runAsUser`, evidence: "runAsUser: 0" });
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (podSpec[f] === true) out[P["no-host-namespaces"]]!.push({ message: `The pod shares the node's ${f}`, path: `${base}.${f}`, evidence: `${f}: true` });
  const volumes = arr(podSpec["volumes"]) ?? [];
  for (let i = 0; i < volumes.length; i++) {
    const hp = obj(obj(volumes[i])?.["hostPath"]);
    if (!hp) continue;
    const path = hp["path"];
    out[P["no-host-path"]]!.push({ message: `Volume mounts ${show(path)} from the host`, path: `${base}.volumes[${i}].hostPath`, evidence: `hostPath.path: ${show(path)}` });
    const exposed = typeof path === "string" ? exposedRuntimeSocket(path) : undefined;
    if (exposed) out[P["no-docker-socket"]]!.push({ message: `Volume mounts ${path}, exposing ${exposed}`, path: `${base}.volumes[${i}].hostPath.path`, evidence: `hostPath.path: ${path}` });
  }
  if (podSpec["automountServiceAccountToken"] !== false) out[P["automount-service-account-token"]]!.push({ message: "The pod mounts a service account token", path: `${base}.automountServiceAccountToken`, evidence: "automountServiceAccountToken is not set" });
  const trusted = settings.trustedRegistries.length > 0 ? allowlist(settings.trustedRegistries) : undefined;
  const now = Date.parse(settings.now);

  for (const c of resource.containers) {
    const sc = obj(c.spec["securityContext"]);
    const caps = obj(sc?.["capabilities"]);
    const add = arr(caps?.["add"]);
    if (sc?.["privileged"] === true) out[P["no-privileged"]]!.push({ message: `Container "${c.name}" runs privileged`, container: c.name, path: `${c.path}.securityContext.privileged`, evidence: "privileged: true" });
    if (!podHostProcess && obj(sc?.["windowsOptions"])?.["hostProcess"] === true) out[P["no-privileged"]]!.push({ message: `Container "${c.name}" is HostProcess`, container: c.name, path: `${c.path}.securityContext.windowsOptions.hostProcess` });
    if (!windows) {
      const ape = sc?.["allowPrivilegeEscalation"];
      const sysAdmin = add ? add.findIndex((a) => cap(a) === "SYS_ADMIN") : -1;
      if (sc?.["privileged"] === true || sysAdmin >= 0 || ape !== false) out[P["no-privilege-escalation"]]!.push({ message: `Container "${c.name}" allows privilege escalation`, container: c.name, path: `${c.path}.securityContext.allowPrivilegeEscalation`, evidence: `allowPrivilegeEscalation: ${show(ape)}` });
      if (c.kind !== "ephemeralContainer" && sc?.["readOnlyRootFilesystem"] !== true) out[P["read-only-root-fs"]]!.push({ message: `Container "${c.name}" has a writable root filesystem`, container: c.name, path: `${c.path}.securityContext.readOnlyRootFilesystem`, evidence: `readOnlyRootFilesystem: ${show(sc?.["readOnlyRootFilesystem"])}` });
      const drop = arr(caps?.["drop"]);
      if (!drop?.some((d) => typeof d === "string" && d.toUpperCase() === "ALL")) out[P["drop-all-capabilities"]]!.push({ message: `Container "${c.name}" does not drop ALL capabilities`, container: c.name, path: `${c.path}.securityContext.capabilities.drop`, evidence: `capabilities.drop: ${show(caps?.["drop"])}` });
      if (add) for (let i = 0; i < add.length; i++) if (cap(add[i]) !== "NET_BIND_SERVICE") out[P["drop-all-capabilities"]]!.push({ message: `Container "${c.name}" adds capability ${cap(add[i])}`, container: c.name, path: `${c.path}.securityContext.capabilities.add[${i}]`, evidence: `capabilities.add: ${show(add[i])}` });
    }
    const own = sc?.["runAsNonRoot"];
    const nonRoot = typeof own === "boolean" ? own : podSc?.["runAsNonRoot"];
    if (nonRoot !== true) out[P["run-as-non-root"]]!.push({ message: `Container "${c.name}" may run as root: runAsNonRoot is not true`, container: c.name, path: `${c.path}.securityContext.runAsNonRoot`, evidence: `runAsNonRoot: ${show(own)}` });
    if (sc?.["runAsUser"] === 0) out[P["run-as-non-root"]]!.push({ message: `Container "${c.name}" sets runAsUser 0 (root)`, container: c.name, path: `${c.path}.securityContext.runAsUser`, evidence: "runAsUser: 0" });

    const ports = arr(c.spec["ports"]) ?? [];
    for (let j = 0; j < ports.length; j++) {
      const p = obj(ports[j]);
      if (!p) continue;
      const hostPort = p["hostPort"];
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) out[P["no-host-ports"]]!.push({ message: `Container "${c.name}" binds host port ${show(hostPort)}`, container: c.name, path: `${c.path}.ports[${j}].hostPort`, evidence: `hostPort: ${show(hostPort)}` });
      const hp = port(hostPort);
      const what = (hp !== undefined ? SENSITIVE_PORTS.get(hp) : undefined) ?? (hostNetwork ? SENSITIVE_PORTS.get(port(p["containerPort"]) ?? -1) : undefined);
      if (what) out[P["no-sensitive-ports"]]!.push({ message: `Container "${c.name}" exposes ${what} on the node`, container: c.name, path: `${c.path}.ports[${j}]`, evidence: `port: ${show(hostPort ?? p["containerPort"])}` });
    }
    if (c.kind === "container") {
      const limits = obj(obj(c.spec["resources"])?.["limits"]);
      if (!isLimit(limits?.["cpu"])) out[P["resource-limits"]]!.push({ message: `Container "${c.name}" has no cpu limit`, container: c.name, path: `${c.path}.resources.limits.cpu`, evidence: `limits.cpu: ${show(limits?.["cpu"])}` });
      if (!isLimit(limits?.["memory"])) out[P["resource-limits"]]!.push({ message: `Container "${c.name}" has no memory limit`, container: c.name, path: `${c.path}.resources.limits.memory`, evidence: `limits.memory: ${show(limits?.["memory"])}` });
    }
    const env = arr(c.spec["env"]) ?? [];
    for (let i = 0; i < env.length; i++) {
      const e = obj(env[i]);
      const value = e?.["value"];
      if (typeof value !== "string") continue;
      const name = typeof e?.["name"] === "string" ? e["name"] : "";
      const found = detectSecret(name, value);
      if (found) out[P["no-secrets-in-env"]]!.push({ message: `Container "${c.name}" has a literal ${found.kind} in ${name}`, container: c.name, path: `${c.path}.env[${i}].value`, evidence: `${name}=${found.masked}` });
    }

    const img = parsed(c.image);
    if (img && img.ref.digest === undefined && (img.ref.tag === undefined || img.ref.tag === "latest")) out[P["no-latest-tag"]]!.push({ message: `Container "${c.name}" uses the latest tag of ${c.image}`, container: c.name, path: `${c.path}.image`, evidence: `image: ${c.image}` });
    if (!img?.ref.digest || !STRONG_DIGEST.test(img.ref.digest)) out[P["image-digest-pinned"]]!.push({ message: `Container "${c.name}" uses image ${c.image} without a sha256 digest`, container: c.name, path: `${c.path}.image`, evidence: `image: ${c.image}` });
    if (trusted && !(img && (trusted.hosts.has(img.registry) || trusted.prefixes.some((p) => img.name === p || img.name.startsWith(`${p}/`))))) {
      out[P["trusted-registries"]]!.push({ message: `Container "${c.name}" pulls ${c.image} from an untrusted registry`, container: c.name, path: `${c.path}.image`, evidence: `image: ${c.image}` });
    }
    const facts = c.image !== "" && Object.hasOwn(images, c.image) ? images[c.image] : undefined;
    if (facts) {
      const at = `${c.path}.image`;
      if (facts.vulnerabilities.fixableCritical > 0) out[P["no-fixable-critical-vulns"]]!.push({ message: `Container "${c.name}": image ${facts.ref} has fixable critical vulnerabilities`, container: c.name, path: at, evidence: `fixableCritical: ${facts.vulnerabilities.fixableCritical}` });
      if (facts.malware.detected) out[P["no-malware"]]!.push({ message: `Container "${c.name}": image ${facts.ref} contains malware`, container: c.name, path: at, evidence: `signatures: ${facts.malware.signatures.join(", ")}` });
      if (facts.signature.verified !== true) out[P["require-signed-images"]]!.push({ message: `Container "${c.name}": image ${facts.ref} has no verified signature`, container: c.name, path: at, evidence: "signature.verified: false" });
      if (settings.maxScanAgeHours > 0 && !Number.isNaN(now)) {
        const scanned = facts.scannedAt ? Date.parse(facts.scannedAt) : Number.NaN;
        if (Number.isNaN(scanned) || (now - scanned) / 3_600_000 > settings.maxScanAgeHours) out[P["image-scanned-recently"]]!.push({ message: `Container "${c.name}": image ${facts.ref} was not scanned recently`, container: c.name, path: at, evidence: `scannedAt: ${facts.scannedAt}` });
      }
    }
  }

  if (request && (request.operation === "CREATE" || request.operation === "UPDATE") && settings.allowedDeployers.length > 0) {
    const user = request.userInfo.username;
    const controlled = CONTROLLERS.has(user) && arr(obj(resource.object["metadata"])?.["ownerReferences"])?.some((o) => obj(o)?.["controller"] === true);
    const namespace = request.namespace ?? resource.namespace ?? "";
    if (!controlled && !isAllowedDeployer(settings, request, namespace)) out[P["unauthorized-deployer"]]!.push({ message: `"${user}" is not an allowed deployer for namespace "${namespace}"`, evidence: `user: ${user}, namespace: ${namespace}` });
  }
  return out;
}
