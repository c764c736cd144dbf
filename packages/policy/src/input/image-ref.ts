// Image references parsed and normalized the way Docker and containerd do it
// (github.com/distribution/reference: grammar in regexp.go, defaults in normalize.go), so `nginx`,
// `docker.io/nginx` and `index.docker.io/library/nginx` are the same image and registry allow-lists
// cannot be sidestepped by spelling. The one implementation in Bulwark: core's ingestion uses it too.
// Hand-written rather than a dependency: the grammar is small, and the npm packages that parse image
// names either skip the Docker Hub defaults or accept what the engine rejects.

export interface ImageRef {
  /** Registry host with its port when one was written, e.g. `docker.io`, `localhost:5000`. */
  registry: string;
  /** Repository path, `library/` included for official Docker Hub images. */
  repository: string;
  /** The tag as written (absent when the reference names none: no implicit `latest` here). */
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

export const DEFAULT_REGISTRY = "docker.io";
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";
export const MAX_IMAGE_NAME_LENGTH = 255;

const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";

/** A registry host, port included (`ghcr.io`, `localhost:5000`, `[::1]:5000`). */
export const REGISTRY_HOST_RE = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
/** A repository path (lower-case components separated by `/`). */
export const REPOSITORY_PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const HEX64_RE = /^[a-f0-9]{64}$/;

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

/** Parses a reference exactly as written (no trimming); on failure says why, in Docker's terms. */
export function parseImageReference(input: string): ImageRefResult {
  const fail = (reason: string): ImageRefResult => ({ ok: false, reason });
  if (typeof input !== "string" || input.length === 0) return fail("empty reference");
  if (input.trim() !== input) return fail("surrounding whitespace");

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return fail("invalid digest");
    // go-digest only knows these algorithms, each with a fixed-length lower-case hex encoding.
    const [algorithm = "", hex = ""] = digest.split(":");
    const length = DIGEST_HEX_LENGTH[algorithm];
    if (length === undefined) return fail("unsupported digest algorithm");
    if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return fail(`${algorithm} digest must be ${length} lower-case hex characters`);
  }

  // A tag follows the last ':' only if no '/' comes after it; otherwise that ':' is a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon !== -1 && colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return fail("invalid tag");
  }

  if (rest.length === 0) return fail("missing repository name");
  if (rest.length > MAX_IMAGE_NAME_LENGTH) return fail("repository name too long");

  // normalize.go: the first component is a registry only if it looks like a host (has '.' or ':', or
  // is "localhost") or has upper case (so "Foo/bar" is an invalid registry, not a repository).
  let domain: string | null = null;
  let repository = rest;
  const slash = rest.indexOf("/");
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase()) {
      domain = first;
      repository = rest.slice(slash + 1);
    }
  }
  if (domain !== null && !REGISTRY_HOST_RE.test(domain)) return fail("invalid registry host");
  if (repository !== repository.toLowerCase()) return fail("repository name must be lowercase");
  if (!REPOSITORY_PATH_RE.test(repository)) return fail("invalid repository name");

  let registry = domain ?? DEFAULT_REGISTRY;
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) {
    // A bare 64-hex name would be ambiguous with an image ID, so Docker refuses it as a name.
    if (HEX64_RE.test(repository)) return fail("a 64-character hex string cannot be a repository name");
    repository = OFFICIAL_REPO_PREFIX + repository;
  }
  return { ok: true, ref: { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) } };
}

/** Parses an image reference as found in a manifest (surrounding spaces ignored); undefined when invalid. */
export function parseImageRef(ref: string): ImageRef | undefined {
  const result = parseImageReference(ref.trim());
  return result.ok ? result.ref : undefined;
}

/** `registry/repository`, the image's identity without tag or digest. */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}
