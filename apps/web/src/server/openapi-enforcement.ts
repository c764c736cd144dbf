import { type OpenAPIRegistry, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { bundleQuerySchema, enforcementHeartbeatSchema } from "@bulwark/core";
import { z } from "zod";

// The enforcement-point part of the API description (bundle, public key, heartbeat).

export interface OpenApiHelpers {
  problems: (...statuses: number[]) => Record<number, ResponseConfig>;
  ok: (schema: z.ZodType, description?: string) => Record<number, ResponseConfig>;
}

export function registerEnforcementPaths(r: OpenAPIRegistry, { problems, ok }: OpenApiHelpers): void {
  const dateTime = z.iso.datetime().meta({ example: "2026-11-29T12:00:00.000Z" });
  const publicKey = z
    .object({
      keyId: z.string().meta({ example: "ed25519-3f2a9c1b0d4e5f60" }),
      algorithm: z.literal("Ed25519"),
      publicKey: z.string().meta({ description: "SubjectPublicKeyInfo, PEM" }),
      publicKeyBase64: z.string().meta({ description: "The 32 raw public key bytes, base64" }),
      createdAt: dateTime,
    })
    .meta({ id: "SigningPublicKey" });
  const bundle = z
    .object({
      version: z.number().int().meta({ description: "Per organization; +1 whenever the content changes" }),
      createdAt: dateTime,
      keyId: z.string(),
      contentHash: z.string().meta({ example: "sha256:3f2a…", description: "SHA-256 of the canonical JSON of content" }),
      content: z.object({
        schema: z.literal(1),
        orgId: z.string(),
        policies: z.array(z.looseObject({ id: z.string() })).meta({ description: "Enabled policy definitions, by id" }),
        exceptions: z.array(z.looseObject({ policyId: z.string() })).meta({ description: "Approved, unexpired exceptions naming a policy" }),
        settings: z.object({ trustedRegistries: z.array(z.string()), allowedDeployers: z.array(z.object({ namespace: z.string(), subjects: z.array(z.string()) })), maxScanAgeHours: z.number().int() }),
      }),
      signature: z.string().meta({ description: "Ed25519, base64, over the canonical JSON (sorted keys, no whitespace, UTF-8) of content plus version, createdAt and keyId" }),
    })
    .meta({ id: "PolicyBundle" });
  const point = z
    .object({ id: z.string(), name: z.string(), clusterId: z.string().nullable(), agentVersion: z.string().nullable(), bundleVersion: z.number().int().nullable(), lastHeartbeatAt: dateTime.nullable() })
    .meta({ id: "EnforcementPoint" });
  const base = { tags: ["Enforcement"] };

  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/enforcement/public-key",
    summary: "The bundle signing public key",
    description: "Public. Installation-wide Ed25519 key that signs every organization's bundles.",
    responses: ok(publicKey),
  });
  r.registerPath({
    ...base,
    method: "get",
    path: "/api/v1/enforcement/bundle",
    summary: "The organization's signed policy bundle",
    description:
      "A token with `enforcement` or `policy:read`, or any member. Send the last ETag as If-None-Match: 304 (no body) while it is current. With `?wait=N` (≤ 60) and a current If-None-Match the request waits for a change (200) until N seconds pass (304). One request counts once against the token rate limit.",
    security: [{ bearer: [] }],
    request: { query: bundleQuerySchema, headers: z.object({ "If-None-Match": z.string().optional().meta({ example: '"7-3f2a9c1b0d4e5f60"' }) }) },
    responses: {
      200: { description: "The current bundle", headers: { ETag: { description: '"<version>-<first 16 hex digits of contentHash>"', schema: { type: "string" } } }, content: { "application/json": { schema: bundle } } },
      304: { description: "The bundle named by If-None-Match is still current" },
      ...problems(400, 401, 403, 429),
    },
  });
  r.registerPath({
    ...base,
    method: "post",
    path: "/api/v1/enforcement/heartbeat",
    summary: "An enforcement point's heartbeat",
    description: "A token with the `enforcement` scope. Creates or updates the point named `name`; a cluster-bound token ties it to its cluster.",
    security: [{ bearer: [] }],
    request: { body: { required: true, content: { "application/json": { schema: enforcementHeartbeatSchema } } } },
    responses: { ...ok(point), ...problems(400, 401, 403, 413, 415, 429) },
  });
}
