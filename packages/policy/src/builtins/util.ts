import { parseImageRef, type ImageRef } from "../input/image-ref.ts";
import { isObject } from "../input/path.ts";
import type { EvaluationInput, ImageFacts, JsonObject } from "../types.ts";

// Small readers shared by the built-ins. Manifests are untrusted, so every field is type-checked where
// it is read; a value of the wrong type counts as "not set". Parsed manifests (JSON.parse, yaml) only
// have own properties for the keys read here, so plain property reads cannot reach Object.prototype.

export function objectIn(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = obj?.[key];
  return isObject(v) ? v : undefined;
}

export function arrayIn(obj: JsonObject | undefined, key: string): unknown[] | undefined {
  const v = obj?.[key];
  return Array.isArray(v) ? v : undefined;
}

export function securityContextOf(spec: JsonObject | undefined): JsonObject | undefined {
  return objectIn(spec, "securityContext");
}

/** `spec.os.name: windows`: Linux-only fields (capabilities, allowPrivilegeEscalation, …) are rejected there. */
export function isWindowsPod(podSpec: JsonObject): boolean {
  const os = podSpec["os"];
  return isObject(os) && os["name"] === "windows";
}

/** Joins a base path and a field, e.g. (`spec.template.spec`, `hostPID`). */
export function at(base: string | undefined, field: string): string {
  return base ? `${base}.${field}` : field;
}

/** A short, single-line rendering of a manifest value for evidence. */
export function show(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

/** Capability names as the runtimes read them: case-insensitive, `CAP_` prefix optional. */
export function capabilityName(value: unknown): string {
  if (typeof value !== "string") return show(value);
  const upper = value.toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** Facts about the image a container runs; undefined when none were supplied (CI, unknown image). */
export function factsFor(input: EvaluationInput, image: string): ImageFacts | undefined {
  if (image === "" || !Object.hasOwn(input.images, image)) return undefined;
  const facts = input.images[image];
  return isObject(facts) ? facts : undefined;
}

/** An image reference, parsed and with its registry host lower-cased for comparisons. */
export interface ParsedImage {
  ref: ImageRef;
  /** Registry host, lower case (DNS names are case-insensitive), port kept. */
  registry: string;
  /** `registry/repository`. */
  name: string;
}

// Three built-ins read the same references and fleets share a few hundred images, so parses are kept
// in a bounded cache keyed by the reference as written (dropped whole when full; cheap and simple).
const IMAGE_CACHE_MAX = 16_384;
const imageCache = new Map<string, ParsedImage | null>();

/** The parsed reference, or undefined when it is not a valid image reference. */
export function parsedImage(image: string): ParsedImage | undefined {
  let hit = imageCache.get(image);
  if (hit === undefined) {
    const ref = parseImageRef(image);
    if (ref) {
      const registry = ref.registry.toLowerCase();
      hit = { ref, registry, name: `${registry}/${ref.repository}` };
    } else {
      hit = null;
    }
    if (imageCache.size >= IMAGE_CACHE_MAX) imageCache.clear();
    imageCache.set(image, hit);
  }
  return hit ?? undefined;
}
