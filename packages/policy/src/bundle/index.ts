import type { PolicyException } from "../engine/exceptions.ts";

// A policy bundle is what an enforcement point runs: the organization's enabled policy definitions,
// its approved exceptions and a few settings, signed by the server. Signer (packages/core) and
// verifiers (apps/enforcer, anyone with the public key) must hash and sign the very same bytes, so
// the canonical form lives here, pure, with no node-only API (TextEncoder works in browsers and edges).

export const BUNDLE_SCHEMA_VERSION = 1;

export interface BundleSettings {
  /** Registry hosts (optionally with a path prefix) the organization marked trusted. */
  trustedRegistries: string[];
  /** Who may deploy into which namespace ("*" for all), as EvaluationSettings takes it; empty turns the policy off. */
  allowedDeployers: { namespace: string; subjects: string[] }[];
  /** How old an image's last scan may be before policies treat it as unscanned. */
  maxScanAgeHours: number;
}

export interface BundleContent {
  schema: typeof BUNDLE_SCHEMA_VERSION;
  orgId: string;
  /** Enabled policy definitions, ordered by id. */
  policies: unknown[];
  /** Approved, unexpired exceptions naming a policy, ordered by id. */
  exceptions: PolicyException[];
  settings: BundleSettings;
}

/** What the server adds to the content before signing; all of it is covered by the signature. */
export interface BundleEnvelope {
  /** Per organization, +1 each time the content changes. */
  version: number;
  /** ISO 8601 with milliseconds, e.g. 2026-11-29T00:00:00.000Z. */
  createdAt: string;
  /** Which signing key signed it (the public key endpoint names the current one). */
  keyId: string;
}

/** A bundle as served by GET /api/v1/enforcement/bundle. */
export interface SignedBundle extends BundleEnvelope {
  /** `sha256:<hex>` of canonicalJson(content): the same content always has the same hash. */
  contentHash: string;
  content: BundleContent;
  /** Ed25519 signature of bundlePayloadBytes(signedDocument(bundle)), base64. */
  signature: string;
}

function compareKeys(a: string, b: string): number {
  // UTF-16 code unit order, as JSON Canonicalization (RFC 8785) sorts keys.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON text with object keys sorted and no whitespace, so equal values always give equal text:
 * strings and numbers are written exactly as JSON.stringify writes them (ECMAScript number form);
 * properties whose value is undefined are left out. Values JSON cannot carry (NaN, Infinity,
 * bigint, functions, undefined inside arrays, cycles) throw instead of being silently altered.
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const write = (v: unknown, path: string): string => {
    if (v === null) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "string":
        return JSON.stringify(v);
      case "number":
        if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
        return JSON.stringify(v);
      case "object": {
        const withJson = v as { toJSON?: () => unknown };
        if (typeof withJson.toJSON === "function") return write(withJson.toJSON(), path);
        if (seen.has(v)) throw new TypeError(`canonicalJson: ${path} is circular`);
        seen.add(v);
        let out: string;
        if (Array.isArray(v)) {
          out = `[${v
            .map((item, i) => {
              if (item === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined`);
              return write(item, `${path}[${i}]`);
            })
            .join(",")}]`;
        } else {
          const entries = Object.entries(v as Record<string, unknown>)
            .filter(([, item]) => item !== undefined)
            .sort(([a], [b]) => compareKeys(a, b));
          out = `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${write(item, `${path}.${k}`)}`).join(",")}}`;
        }
        seen.delete(v);
        return out;
      }
      default:
        throw new TypeError(`canonicalJson: ${path} (${typeof v}) cannot be represented in JSON`);
    }
  };
  return write(value, "$");
}

/** The UTF-8 bytes of canonicalJson(value): what is hashed (content) and signed (signed document). */
export function bundlePayloadBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/**
 * The document a bundle's signature covers: the content with the envelope's version, createdAt and
 * keyId added at its top level. Signing them too means an old bundle cannot be replayed as a newer
 * version and a signature cannot be attributed to another key.
 */
export function signedDocument(bundle: { content: BundleContent } & BundleEnvelope): BundleContent & BundleEnvelope {
  return { ...bundle.content, version: bundle.version, createdAt: bundle.createdAt, keyId: bundle.keyId };
}
