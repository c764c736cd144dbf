// Container image references, parsed and normalised the way Docker and containerd do it
// (github.com/distribution/reference: grammar in reference.go, defaults in normalize.go).
// Hand-written rather than a dependency: the grammar is small, and the npm packages that parse image
// names either skip the Docker Hub defaults or accept what the engine rejects.

export const DEFAULT_REGISTRY = "docker.io";
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";
const NAME_TOTAL_LENGTH_MAX = 255;

const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;

const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const SHA256_RE = /^sha256:[0-9a-f]{64}$/;
const HEX64_RE = /^[a-f0-9]{64}$/;

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
  if (typeof input !== "string" || input.length === 0) throw new ImageRefError(String(input), "empty reference");
  if (input.trim() !== input) throw new ImageRefError(input, "surrounding whitespace");

  let rest = input;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw new ImageRefError(input, "invalid digest");
    // go-digest only knows these algorithms, each with a fixed-length lower-case hex encoding.
    const [algorithm = "", hex = ""] = digest.split(":");
    const length = DIGEST_HEX_LENGTH[algorithm];
    if (length === undefined) throw new ImageRefError(input, "unsupported digest algorithm");
    if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
      throw new ImageRefError(input, `${algorithm} digest must be ${length} lower-case hex characters`);
    }
  }

  // A tag follows the last ':' only if no '/' comes after it; otherwise that ':' is a registry port.
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon !== -1 && colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new ImageRefError(input, "invalid tag");
  }

  if (rest.length === 0) throw new ImageRefError(input, "missing repository name");
  if (rest.length > NAME_TOTAL_LENGTH_MAX) throw new ImageRefError(input, "repository name too long");

  const { domain, remainder } = splitDomain(rest);
  if (domain !== null && !DOMAIN_RE.test(domain)) throw new ImageRefError(input, "invalid registry host");
  if (remainder !== remainder.toLowerCase()) throw new ImageRefError(input, "repository name must be lowercase");
  if (!PATH_RE.test(remainder)) throw new ImageRefError(input, "invalid repository name");

  let registryHost = domain ?? DEFAULT_REGISTRY;
  if (registryHost === LEGACY_DEFAULT_REGISTRY) registryHost = DEFAULT_REGISTRY;
  let repository = remainder;
  if (registryHost === DEFAULT_REGISTRY && !repository.includes("/")) {
    // A bare 64-hex name would be ambiguous with an image ID, so Docker refuses it as a name.
    if (HEX64_RE.test(repository)) throw new ImageRefError(input, "a 64-character hex string cannot be a repository name");
    repository = OFFICIAL_REPO_PREFIX + repository;
  }
  if (tag === null && digest === null) tag = "latest";

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

// normalize.go: the first component is a registry only if it looks like a host (has '.' or ':', or is
// "localhost") and is not upper-case (so "Foo/bar" is an invalid repository, not a registry).
function splitDomain(name: string): { domain: string | null; remainder: string } {
  const slash = name.indexOf("/");
  if (slash === -1) return { domain: null, remainder: name };
  const first = name.slice(0, slash);
  const looksLikeHost = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
  if (!looksLikeHost) return { domain: null, remainder: name };
  return { domain: first, remainder: name.slice(slash + 1) };
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
  if (typeof input !== "string" || input.length === 0 || input.length > NAME_TOTAL_LENGTH_MAX) return null;
  const value = input.replace(/\/+$/, "");
  const slash = value.indexOf("/");
  const host = slash === -1 ? value : value.slice(0, slash);
  const prefix = slash === -1 ? null : value.slice(slash + 1);
  if (!DOMAIN_RE.test(host) || !(/[.:]/.test(host) || host === "localhost")) return null;
  if (prefix !== null && !PATH_RE.test(prefix)) return null;
  return { registryHost: host.toLowerCase() === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : host, pathPrefix: prefix };
}
