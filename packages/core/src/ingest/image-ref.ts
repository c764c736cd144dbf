import { DEFAULT_REGISTRY, MAX_IMAGE_NAME_LENGTH, parseImageReference, REGISTRY_HOST_RE, REPOSITORY_PATH_RE } from "@bulwark/policy";

// Container image references for ingestion. The grammar and Docker's normalization live once, in
// @bulwark/policy (parseImageReference); this module gives ingestion its shape (implicit `latest`,
// name and canonical form, errors that say why) and the image-ID and registry-location forms.

export { DEFAULT_REGISTRY };
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";
const SHA256_RE = /^sha256:[0-9a-f]{64}$/;

export interface ImageRef {
  /** Registry host with optional port, e.g. "docker.io", "ghcr.io", "localhost:5000". */
  registryHost: string;
  /** Path inside the registry, e.g. "library/nginx", "acme/api". */
  repository: string;
  /** Tag, "latest" when the reference names neither a tag nor a digest; null for digest-only refs. */
  tag: string | null;
  /** Content digest, e.g. "sha256:…", when the reference pins one. */
  digest: string | null;
  /** registryHost/repository. */
  name: string;
  /** Fully qualified form: name[:tag][@digest]. */
  canonical: string;
}

export class ImageRefError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid image reference "${input.slice(0, 300)}": ${reason}`);
    this.name = "ImageRefError";
  }
}

export function isSha256Digest(value: string): boolean {
  return SHA256_RE.test(value);
}

/** Parses a reference as written in a pod spec or on a `docker pull` command line. Throws ImageRefError. */
export function parseImageRef(input: string): ImageRef {
  const parsed = parseImageReference(input);
  if (!parsed.ok) throw new ImageRefError(String(input), parsed.reason);
  const { registry: registryHost, repository } = parsed.ref;
  const digest = parsed.ref.digest ?? null;
  const tag = parsed.ref.tag ?? (digest === null ? "latest" : null);
  const name = `${registryHost}/${repository}`;
  const canonical = `${name}${tag !== null ? `:${tag}` : ""}${digest !== null ? `@${digest}` : ""}`;
  return { registryHost, repository, tag, digest, name, canonical };
}

/** Like parseImageRef, but answers null instead of throwing. */
export function tryParseImageRef(input: string): ImageRef | null {
  try {
    return parseImageRef(input);
  } catch (err) {
    if (err instanceof ImageRefError) return null;
    throw err;
  }
}

export interface ImageIdInfo {
  digest: string;
  /**
   * "repo": a manifest digest the image can be pulled by (matches registry and scanner digests);
   * "local": an image/config ID only (e.g. `docker://sha256:…`, or a bare `sha256:…` that containerd
   * reports for images loaded without a registry digest).
   */
  kind: "repo" | "local";
  /** Repository the digest belongs to, when the image ID names one. */
  image: ImageRef | null;
}

/**
 * Parses `status.containerStatuses[].imageID` of a Pod. Known forms: `docker-pullable://repo@sha256:…`
 * (dockershim), `docker://sha256:…`, `repo@sha256:…` and bare `sha256:…` (containerd, CRI-O).
 * Answers null for empty or unrecognisable values (a container that has not started yet has "").
 */
export function parseImageId(input: string): ImageIdInfo | null {
  if (typeof input !== "string" || input.length === 0 || input.length > 1024) return null;
  let value = input.trim();
  let forcedLocal = false;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(value);
  if (scheme) {
    forcedLocal = scheme[1] === "docker";
    value = value.slice(scheme[0].length);
  }
  if (SHA256_RE.test(value)) return { digest: value, kind: "local", image: null };
  if (/^[a-f0-9]{64}$/.test(value)) return { digest: `sha256:${value}`, kind: "local", image: null };
  if (!value.includes("@")) return null;
  const image = tryParseImageRef(value);
  if (!image || image.digest === null) return null;
  return { digest: image.digest, kind: forcedLocal ? "local" : "repo", image };
}

/**
 * Splits a registry location as configured for a connector ("ghcr.io", "ghcr.io/acme", "localhost:5000")
 * into its host and optional path prefix. Answers null when the first component is not a host.
 */
export function parseRegistryLocation(input: string): { registryHost: string; pathPrefix: string | null } | null {
  if (typeof input !== "string" || input.length === 0 || input.length > MAX_IMAGE_NAME_LENGTH) return null;
  const value = input.replace(/\/+$/, "");
  const slash = value.indexOf("/");
  const host = slash === -1 ? value : value.slice(0, slash);
  const prefix = slash === -1 ? null : value.slice(slash + 1);
  if (!REGISTRY_HOST_RE.test(host) || !(/[.:]/.test(host) || host === "localhost")) return null;
  if (prefix !== null && !REPOSITORY_PATH_RE.test(prefix)) return null;
  return { registryHost: host.toLowerCase() === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : host, pathPrefix: prefix };
}
