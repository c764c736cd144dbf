import { DEFAULT_REGISTRY } from "../input/image-ref.ts";
import type { BuiltinPolicy, EvaluationInput, Violation } from "../types.ts";
import { parsedImage } from "./util.ts";

// Run only trusted images (practice 1): where images come from and whether the reference is immutable.
// All containers count, ephemeral ones included: `kubectl debug --image=…` is a way to run any image.

export const noLatestTag: BuiltinPolicy = {
  id: "no-latest-tag",
  name: "No latest tag",
  description: "Images must name a tag other than `latest`, or be pinned by digest.",
  rationale: "`latest` (or no tag, which means latest) moves: nobody can tell which build runs, roll back to a known one, or notice that it was replaced.",
  remediation: "Reference a versioned tag (e.g. `nginx:1.27.3`), or better a digest (`nginx@sha256:…`).",
  severity: "LOW",
  category: "Images",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1525"],
  threats: ["insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec === undefined) return out;
    for (const c of resource.containers) {
      const parsed = parsedImage(c.image);
      // An unparseable reference is reported by image-digest-pinned and trusted-registries.
      // A digest pins the content whatever the tag says, so `app:latest@sha256:…` passes.
      if (parsed === undefined || parsed.ref.digest !== undefined) continue;
      const tag = parsed.ref.tag;
      if (tag !== undefined && tag !== "latest") continue;
      out.push({
        message: tag === undefined ? `Container "${c.name}" uses image ${c.image} without a tag (implicitly latest)` : `Container "${c.name}" uses the latest tag of ${c.image}`,
        container: c.name,
        path: `${c.path}.image`,
        evidence: `image: ${c.image}`,
      });
    }
    return out;
  },
};

/** Digests containerd accepts, so `md5:…`-style look-alikes do not count as pinning. */
const STRONG_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

export const imageDigestPinned: BuiltinPolicy = {
  id: "image-digest-pinned",
  name: "Images pinned by digest",
  description: "Images must be referenced by digest (`@sha256:…`).",
  rationale:
    "A tag is a mutable pointer: whoever can push to the repository can replace what runs next time a pod starts. A digest names exactly one image, the one that was scanned and signed.",
  remediation: "Reference images as `registry/repo@sha256:<digest>` (tools such as kbld, crane digest or Renovate can pin and update them).",
  severity: "LOW",
  category: "Images",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1525"],
  threats: ["malware", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec === undefined) return out;
    for (const c of resource.containers) {
      const parsed = parsedImage(c.image);
      const digest = parsed?.ref.digest;
      if (digest !== undefined && STRONG_DIGEST.test(digest)) continue;
      out.push({
        message:
          parsed === undefined
            ? `Container "${c.name}" has an invalid image reference "${c.image}"`
            : `Container "${c.name}" uses image ${c.image} without a sha256 digest`,
        container: c.name,
        path: `${c.path}.image`,
        evidence: `image: ${c.image}`,
      });
    }
    return out;
  },
};

/** An org allowlist, normalized once per settings array. */
interface Allowlist {
  /** Length of the settings array it was built from: an array grown or shrunk in place is rebuilt. */
  size: number;
  /** Registry hosts (lower case, port kept). */
  hosts: Set<string>;
  /** `host/path` entries: repositories under that path are trusted. */
  prefixes: string[];
}

// Settings arrays are built once per evaluation run and shared by every workload, so the normalized
// form is cached by array identity; a new array (changed settings) gets a new entry.
const allowlists = new WeakMap<readonly string[], Allowlist>();

const DOCKER_HUB_ALIASES = new Set(["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"]);

function compileAllowlist(entries: readonly string[]): Allowlist {
  const list: Allowlist = { size: entries.length, hosts: new Set(), prefixes: [] };
  for (const raw of entries) {
    if (typeof raw !== "string") continue;
    let entry = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/+$/, "");
    const slash = entry.indexOf("/");
    let host = (slash >= 0 ? entry.slice(0, slash) : entry).toLowerCase();
    if (DOCKER_HUB_ALIASES.has(host)) host = DEFAULT_REGISTRY;
    if (host === "") continue;
    entry = slash >= 0 ? `${host}${entry.slice(slash)}` : host;
    if (slash >= 0) list.prefixes.push(entry);
    else list.hosts.add(host);
  }
  return list;
}

function allowlistOf(entries: readonly string[]): Allowlist {
  let list = allowlists.get(entries);
  if (list === undefined || list.size !== entries.length) {
    list = compileAllowlist(entries);
    allowlists.set(entries, list);
  }
  return list;
}

function isTrusted(list: Allowlist, registry: string, name: string): boolean {
  if (list.hosts.has(registry)) return true;
  for (const prefix of list.prefixes) if (name === prefix || name.startsWith(`${prefix}/`)) return true;
  return false;
}

export const trustedRegistries: BuiltinPolicy = {
  id: "trusted-registries",
  name: "Trusted registries only",
  description:
    "Images must come from a registry in the organization's allowlist (host and port, e.g. `registry.acme.internal:5000`; `nginx` means docker.io). An empty allowlist disables the policy.",
  rationale:
    "Images from arbitrary registries bypass the organization's build, scanning and signing pipeline; pulling from a look-alike or public registry is how malicious images get deployed.",
  remediation: "Mirror or rebuild the image into a trusted registry, or add the registry to Settings → Trusted registries.",
  severity: "HIGH",
  category: "Supply chain",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "WARN",
  mitre: ["T1525", "T1610", "T1204.003"],
  threats: ["unauthorized-deployment", "malware"],
  check({ resource, settings }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const entries = settings.trustedRegistries;
    if (resource.podSpec === undefined || entries === undefined || entries.length === 0) return out;
    const list = allowlistOf(entries);
    for (const c of resource.containers) {
      const parsed = parsedImage(c.image);
      if (parsed !== undefined && isTrusted(list, parsed.registry, parsed.name)) continue;
      out.push({
        message:
          parsed === undefined
            ? `Container "${c.name}" has an invalid image reference "${c.image}", so its registry cannot be trusted`
            : `Container "${c.name}" pulls ${c.image} from ${parsed.registry}, which is not a trusted registry`,
        container: c.name,
        path: `${c.path}.image`,
        evidence: parsed === undefined ? `image: ${c.image}` : `image: ${c.image} (registry ${parsed.registry})`,
      });
    }
    return out;
  },
};
