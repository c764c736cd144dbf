import { z } from "zod";
import { type PackageURL } from "packageurl-js";
import { ecosystemFromPurl, packageNameFromPurl, packageVersionFromPurl, parsePurl, sourcePackage } from "./ecosystem.ts";
import {
  type ImageIdentity,
  type NormalizedPackage,
  type OsInfo,
  dedupePackages,
  digestOf,
  isPlainObject,
  parseOrThrow,
  pickImageDigest,
  validationError,
} from "./normalized.ts";

// CycloneDX JSON (https://cyclonedx.org/docs/1.6/json/) read for its package inventory. Nested
// components are flattened iteratively, so hostile nesting cannot overflow the stack.

export const SUPPORTED_CYCLONEDX_VERSIONS = ["1.4", "1.5", "1.6", "1.7"] as const;
export const CYCLONEDX_LIMITS = { components: 100_000, depth: 32 } as const;

const str = z.string().max(65_536);
const optStr = str.nullish();

const Property = z.object({ name: str, value: str.nullish() });
const License = z.union([
  z.object({ license: z.object({ id: optStr, name: optStr }) }),
  z.object({ expression: str }),
]);

const Component = z.object({
  "bom-ref": optStr,
  type: str,
  name: str,
  group: optStr,
  version: optStr,
  purl: optStr,
  licenses: z.array(License).max(100).nullish(),
  properties: z.array(Property).max(1_000).nullish(),
  // Children are validated one by one while flattening, with their own path.
  components: z.array(z.unknown()).max(CYCLONEDX_LIMITS.components).nullish(),
});
type Component = z.output<typeof Component>;

const Bom = z.object({
  bomFormat: z.literal("CycloneDX"),
  specVersion: z.enum(SUPPORTED_CYCLONEDX_VERSIONS),
  serialNumber: optStr,
  version: z.number().int().nullish(),
  metadata: z.object({ timestamp: optStr, component: z.unknown().optional() }).nullish(),
  components: z.array(z.unknown()).max(CYCLONEDX_LIMITS.components).nullish(),
});

export interface ParsedCycloneDx {
  specVersion: string;
  serialNumber: string | null;
  /** From metadata.component when it describes a container image. */
  image: ImageIdentity | null;
  os: OsInfo | null;
  packages: NormalizedPackage[];
  stats: { components: number; packages: number; withoutPurl: number; invalidPurl: number };
}

/** Parses a CycloneDX JSON SBOM (1.4–1.7) into packages. Throws AppError VALIDATION_FAILED. */
export function parseCycloneDx(json: unknown): ParsedCycloneDx {
  if (!isPlainObject(json)) throw validationError("(root)", "Expected a CycloneDX JSON object", "The SBOM is invalid");
  if (json.bomFormat !== "CycloneDX") throw validationError("bomFormat", 'Expected "CycloneDX"', "Unsupported SBOM format");
  if (typeof json.specVersion !== "string" || !(SUPPORTED_CYCLONEDX_VERSIONS as readonly string[]).includes(json.specVersion)) {
    const got = json.specVersion === undefined ? "missing" : JSON.stringify(json.specVersion);
    throw validationError("specVersion", `Unsupported CycloneDX specVersion (${got}); supported: ${SUPPORTED_CYCLONEDX_VERSIONS.join(", ")}`, "Unsupported SBOM format version");
  }
  const bom = parseOrThrow(Bom, json, "The SBOM is invalid");
  const root = bom.metadata?.component === undefined || bom.metadata.component === null
    ? null
    : parseOrThrow(Component, bom.metadata.component, "The SBOM is invalid", ["metadata", "component"]);

  const components = flatten(bom.components ?? []);
  let os: OsInfo | null = null;
  let withoutPurl = 0;
  let invalidPurl = 0;
  const packages: NormalizedPackage[] = [];
  for (const c of components) {
    if (c.type === "operating-system") {
      os ??= { family: c.name, name: c.version ?? null };
      continue;
    }
    if (!c.purl) {
      withoutPurl++;
      continue;
    }
    const purl = parsePurl(c.purl);
    if (!purl) {
      invalidPurl++;
      continue;
    }
    const name = packageNameFromPurl(purl);
    const version = packageVersionFromPurl(purl) ?? c.version ?? "";
    packages.push({ ecosystem: ecosystemFromPurl(purl), name, version, purl: c.purl, license: licenseOf(c), ...sourceOf(c, purl, name, version) });
  }
  const unique = dedupePackages(packages);
  return {
    specVersion: bom.specVersion,
    serialNumber: bom.serialNumber ?? null,
    image: root ? imageOf(root) : null,
    os,
    packages: unique,
    stats: { components: components.length, packages: unique.length, withoutPurl, invalidPurl },
  };
}

function flatten(top: readonly unknown[]): Component[] {
  const out: Component[] = [];
  // Depth-first with an explicit stack; reversed pushes keep document order.
  const stack: Array<{ value: unknown; path: Array<string | number>; depth: number }> = [];
  for (let i = top.length - 1; i >= 0; i--) stack.push({ value: top[i], path: ["components", i], depth: 1 });
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (depth > CYCLONEDX_LIMITS.depth) throw validationError(path.join("."), `Components are nested deeper than ${CYCLONEDX_LIMITS.depth} levels`, "The SBOM is invalid");
    const c = parseOrThrow(Component, value, "The SBOM is invalid", path);
    out.push(c);
    if (out.length + stack.length > CYCLONEDX_LIMITS.components) {
      throw validationError("components", `Too many components (more than ${CYCLONEDX_LIMITS.components})`, "The SBOM is invalid");
    }
    const children = c.components ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], path: [...path, "components", i], depth: depth + 1 });
  }
  return out;
}

/**
 * The source package: Trivy writes it as properties; other generators use the purl's `upstream`
 * qualifier (purl spec: the source package of a deb/rpm/apk, optionally `name@version`).
 */
function sourceOf(c: Component, purl: PackageURL, name: string, version: string) {
  const trivy = property(c, "aquasecurity:trivy:SrcName")[0];
  if (trivy) {
    const epoch = property(c, "aquasecurity:trivy:SrcEpoch")[0];
    return sourcePackage(name, version, trivy, property(c, "aquasecurity:trivy:SrcVersion")[0], property(c, "aquasecurity:trivy:SrcRelease")[0], epoch ?? null);
  }
  const upstream = purl.qualifiers?.upstream;
  if (typeof upstream !== "string" || upstream === "") return { srcName: null, srcVersion: null };
  const at = upstream.indexOf("@");
  return sourcePackage(name, version, at > 0 ? upstream.slice(0, at) : upstream, at > 0 ? upstream.slice(at + 1) : version);
}

function licenseOf(c: Component): string | null {
  const names = (c.licenses ?? []).flatMap((l) => ("expression" in l ? [l.expression] : [l.license.id ?? l.license.name ?? ""])).filter((n) => n !== "");
  return names.length > 0 ? names.join(", ") : null;
}

function property(c: Component, name: string): string[] {
  return (c.properties ?? []).filter((p) => p.name === name && p.value).map((p) => p.value ?? "");
}

function imageOf(root: Component): ImageIdentity | null {
  if (root.type !== "container") return null;
  // Trivy records image facts as properties; an oci purl's version is the manifest digest.
  const repoDigests = property(root, "aquasecurity:trivy:RepoDigest");
  const purl = root.purl ? parsePurl(root.purl) : null;
  if (purl?.type === "oci" && purl.version && digestOf(purl.version)) repoDigests.push(`${purl.name}@${purl.version}`);
  const imageId = property(root, "aquasecurity:trivy:ImageID")[0] ?? null;
  const reference = property(root, "aquasecurity:trivy:Reference")[0] ?? null;
  const picked = pickImageDigest({ repoDigests, reference: reference ?? root.name, imageId });
  return {
    name: reference ?? root.name,
    ...picked,
    imageId,
    repoTags: property(root, "aquasecurity:trivy:RepoTag"),
    repoDigests,
  };
}
