import { createHash } from "node:crypto";

// Demo data must come out the same on every machine and every run, so nothing here uses Math.random
// or wall-clock-dependent identities: digests, fingerprints and uids are hashes of natural keys.

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A realistic-looking, stable image digest for an image reference. */
export function digestFor(ref: string): string {
  return `sha256:${sha256(`bulwark-demo-image:${ref}`)}`;
}

/** Fingerprint of a directly written finding (direct.ts): sha256(type|rule|target). */
export function fingerprint(type: string, ruleId: string, target: string): string {
  return sha256(`${type}|${ruleId}|${target}`);
}

/** A UUID-shaped value derived from a key (Kubernetes object uids, event ids). */
export function uuidFor(key: string): string {
  const h = sha256(key);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Ids for rows that have no natural key (events, scan runs): fixed per key, so inserts can skip duplicates. */
export function seedId(key: string): string {
  return `seed${sha256(key).slice(0, 21)}`;
}

// Kubernetes generates name suffixes from this alphabet (no vowels, no 0/1/3), so pod names look real
// and Falco's pod-name parsing strips them the way it does on a cluster.
const K8S_SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** A stable Kubernetes-style random suffix ("7d59548d75", "wh44s") for a key. */
export function k8sSuffix(key: string, length: number): string {
  const h = sha256(key);
  let out = "";
  for (let i = 0; i < length; i++) out += K8S_SAFE[Number.parseInt(h.slice(i * 2, i * 2 + 2), 16) % K8S_SAFE.length];
  return out;
}

/** A stable hex string of the given length for a key (container ids, image config ids). */
export function hexFor(key: string, length = 64): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += sha256(`${key}#${i}`);
  return out.slice(0, length);
}

/** mulberry32: tiny deterministic PRNG; seeded from a string so each organization has its own stream. */
export function prng(seed: string): () => number {
  let a = Number.parseInt(sha256(seed).slice(0, 8), 16) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

const DAY = 86_400_000;

export function daysAgo(now: Date, days: number, hours = 0): Date {
  return new Date(now.getTime() - days * DAY - hours * 3_600_000);
}

export function utcDay(now: Date, offsetDays = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - offsetDays));
}

export interface ParsedRef {
  registryHost: string;
  repository: string;
  tag: string;
}

/** Splits an image reference the way container runtimes do (docker.io and library/ are implied). */
export function parseImageRef(ref: string): ParsedRef {
  const colon = ref.lastIndexOf(":");
  const slashAfter = ref.indexOf("/", colon);
  const hasTag = colon > -1 && slashAfter === -1 && colon > ref.lastIndexOf("/");
  const name = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : "latest";
  const parts = name.split("/");
  const first = parts[0] ?? name;
  const explicitHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registryHost = explicitHost ? first : "docker.io";
  let repository = explicitHost ? parts.slice(1).join("/") : name;
  if (registryHost === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  return { registryHost, repository, tag };
}

/** Canonical full reference, used as the key of an image in the catalog. */
export function canonicalRef(ref: string): string {
  const p = parseImageRef(ref);
  return `${p.registryHost}/${p.repository}:${p.tag}`;
}
