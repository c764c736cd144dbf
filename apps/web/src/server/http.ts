import { AppError, isAppError, toProblem } from "@bulwark/core";
import { unstable_rethrow } from "next/navigation";
import { type z } from "zod";
import { env } from "../env.ts";
import { logger } from "./logger.ts";

// The toolkit every API route is built from: one error envelope (RFC 9457 problem+json), bounded
// JSON bodies, and 405s for known paths. Route files stay thin: parse -> authorize -> use case -> map.

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteHandler<C = unknown> = (req: Request, ctx: C) => Promise<Response>;

const NO_STORE = "no-store";

export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: { "cache-control": NO_STORE, ...init.headers } });
}

export function problem(err: unknown, instance?: string, extraHeaders: Record<string, string> = {}): Response {
  const body = toProblem(err, instance);
  const headers: Record<string, string> = { "content-type": "application/problem+json", "cache-control": NO_STORE, ...extraHeaders };
  if (isAppError(err) && err.code === "RATE_LIMITED" && err.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterSeconds)));
  }
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

function pathOf(req: Request): string {
  try {
    return new URL(req.url).pathname;
  } catch {
    return "/";
  }
}

function logUnexpected(err: unknown, req: Request): void {
  try {
    logger().error({ err, method: req.method, path: pathOf(req) }, "unhandled error in API route");
  } catch {
    // The logger needs valid configuration; when that is the failure, stderr still gets the story.
    console.error("unhandled error in API route", err);
  }
}

/** Wraps a handler: AppErrors become their problem answer, anything else is logged and becomes a bare 500. */
export function route<C = unknown>(handler: RouteHandler<C>): RouteHandler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      // Next signals redirects and dynamic rendering by throwing; those are not failures.
      unstable_rethrow(err);
      if (isAppError(err)) {
        if (err.status >= 500) logUnexpected(err, req);
        return problem(err, pathOf(req));
      }
      logUnexpected(err, req);
      return problem(new AppError("INTERNAL", "An unexpected error occurred"), pathOf(req));
    }
  };
}

/**
 * Handlers answering 405 for the methods a path does not support, e.g.
 * `export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET")`.
 */
export function methodNotAllowed(...allowed: HttpMethod[]): Record<HttpMethod, RouteHandler> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler: RouteHandler = async (req) =>
    problem(new AppError("METHOD_NOT_ALLOWED", `${req.method} is not supported here; use ${allowed.join(" or ")}`), pathOf(req), { allow });
  return Object.fromEntries(HTTP_METHODS.map((m) => [m, handler])) as Record<HttpMethod, RouteHandler>;
}

/** Every method on an unknown API path: a problem+json 404 rather than Next's HTML page. */
export const notFoundRoute: RouteHandler = async (req) =>
  problem(new AppError("NOT_FOUND", `No API endpoint at ${pathOf(req)}`), pathOf(req));

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds the limit of ${maxBytes} bytes`);
}

/** Passes bytes through, failing the stream as soon as more than maxBytes have gone by. */
function byteLimit(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(tooLarge(maxBytes));
      else controller.enqueue(chunk);
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function isJsonType(contentType: string | null): boolean {
  if (!contentType) return false;
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

export interface ReadJsonOptions {
  /** Defaults to BULWARK_MAX_BODY_BYTES. Applies to the bytes on the wire and, for gzip, to the inflated body. */
  maxBytes?: number;
}

/**
 * Reads a JSON body and validates it. Size is checked twice: the declared Content-Length (cheap
 * early refusal) and the bytes actually streamed (Content-Length can lie or be absent). A gzip body
 * is inflated with the same bound, so a small bomb cannot expand into memory.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, opts: ReadJsonOptions = {}): Promise<z.output<S>> {
  const maxBytes = opts.maxBytes ?? env().BULWARK_MAX_BODY_BYTES;
  if (!isJsonType(req.headers.get("content-type"))) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json");
  }
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const gzip = encoding === "gzip" || encoding === "x-gzip";
  if (!gzip && encoding !== "identity" && encoding !== "") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Encoding "${encoding}" is not supported; use gzip or none`);
  }
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) throw new AppError("BAD_REQUEST", "The request body is empty");

  let bytes: Uint8Array;
  try {
    const wire = req.body.pipeThrough(byteLimit(maxBytes));
    // DOM typings declare the writable side as BufferSource; at runtime it takes the Uint8Array chunks.
    const inflate = () => new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
    bytes = await collect(gzip ? wire.pipeThrough(inflate()) : wire, maxBytes);
  } catch (err) {
    if (isAppError(err)) throw err;
    throw new AppError("BAD_REQUEST", gzip ? "The gzip body could not be decompressed" : "The request body could not be read");
  }
  if (bytes.byteLength === 0) throw new AppError("BAD_REQUEST", "The request body is empty");

  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("BAD_REQUEST", "Malformed JSON");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  return parsed.data;
}

/** Client address for the audit log and rate limits: the first X-Forwarded-For hop, as set by the proxy in front. */
export function clientIp(headers: Headers): string | null {
  const fwd = headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0]!.trim() || null;
  return headers.get("x-real-ip");
}
