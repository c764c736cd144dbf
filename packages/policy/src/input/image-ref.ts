// Image references normalized the way Docker does (github.com/distribution/reference,
// ParseNormalizedNamed), so `nginx`, `docker.io/nginx` and `index.docker.io/library/nginx` are the
// same image and registry allow-lists cannot be sidestepped by spelling.

export interface ImageRef {
  /** Registry host with its port when one was written, e.g. `docker.io`, `localhost:5000`. */
  registry: string;
  /** Repository path, `library/` included for official Docker Hub images. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

export const DEFAULT_REGISTRY = "docker.io";
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";

// Grammar from distribution/reference regexp.go.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** Parses an image reference; undefined when it is not a valid reference at all. */
export function parseImageRef(ref: string): ImageRef | undefined {
  let rest = ref.trim();
  if (rest === "") return undefined;

  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }

  // A tag is the part after the last ':' that comes after the last '/' (a ':' before it is a port).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }

  let registry = DEFAULT_REGISTRY;
  let repository = rest;
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  // Docker's rule: the first component is a registry iff it has '.' or ':', is `localhost`, or has
  // upper case (repository paths cannot).
  if (slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first)) {
    registry = first;
    repository = rest.slice(slash + 1);
    if (!DOMAIN.test(registry)) return undefined;
  }
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = OFFICIAL_REPO_PREFIX + repository;

  if (repository === "" || !repository.split("/").every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) return undefined;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `registry/repository`, the image's identity without tag or digest. */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}
