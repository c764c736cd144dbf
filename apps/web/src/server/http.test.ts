// route() logs unexpected errors through the app logger, which reads the validated env.
import "./test-env.ts";
import { AppError } from "@bulwark/core";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { json, methodNotAllowed, notFoundRoute, readJson, route } from "./http.ts";

const URL_ = "http://localhost/api/v1/things";
const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()).optional() });

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("readJson", () => {
  it("parses and validates a JSON body, accepting +json and charset parameters", async () => {
    expect(await readJson(post(JSON.stringify({ name: "a" })), schema, { maxBytes: 1024 })).toEqual({ name: "a" });
    const r = post(JSON.stringify({ name: "b", tags: ["x"] }), { "content-type": "application/merge-patch+json; charset=utf-8" });
    expect(await readJson(r, schema, { maxBytes: 1024 })).toEqual({ name: "b", tags: ["x"] });
  });

  it("refuses bodies that are not JSON with 415", async () => {
    const e = await caught(readJson(post("name=a", { "content-type": "application/x-www-form-urlencoded" }), schema, { maxBytes: 1024 }));
    expect(e.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(e.status).toBe(415);
    const e2 = await caught(readJson(post("{}", {}), schema, { maxBytes: 1024 }));
    expect(e2.status).toBe(415);
  });

  it("maps syntax errors to 400 Malformed JSON and empty bodies to 400", async () => {
    const e = await caught(readJson(post('{"name": "a",'), schema, { maxBytes: 1024 }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.message).toBe("Malformed JSON");
    const e2 = await caught(readJson(post(""), schema, { maxBytes: 1024 }));
    expect(e2.status).toBe(400);
  });

  it("maps schema errors to 400 with field paths", async () => {
    const e = await caught(readJson(post(JSON.stringify({ name: "", tags: [1] })), schema, { maxBytes: 1024 }));
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.status).toBe(400);
    expect(e.fields?.map((f) => f.path).sort()).toEqual(["name", "tags.0"]);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const r = post(JSON.stringify({ name: "x".repeat(100) }), { "content-type": "application/json", "content-length": "5000" });
    const e = await caught(readJson(r, schema, { maxBytes: 1024 }));
    expect(e.status).toBe(413);
    expect(e.message).toContain("1024 bytes");
  });

  it("counts streamed bytes when Content-Length is absent or lies", async () => {
    const chunk = new TextEncoder().encode(`{"name":"${"x".repeat(600)}"`);
    const tail = new TextEncoder().encode(`,"tags":["${"y".repeat(600)}"]}`);
    const e = await caught(readJson(post(streamOf([chunk, tail])), schema, { maxBytes: 1024 }));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    const lying = post(streamOf([chunk, tail]), { "content-type": "application/json", "content-length": "10" });
    expect((await caught(readJson(lying, schema, { maxBytes: 1024 }))).status).toBe(413);
    // Exactly at the limit is fine.
    const body = JSON.stringify({ name: "z".repeat(1024 - 11) });
    expect(body.length).toBe(1024);
    expect(await readJson(post(body), schema, { maxBytes: 1024 })).toEqual({ name: "z".repeat(1013) });
  });

  it("accepts gzip bodies and bounds the inflated size (zip bombs get 413)", async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify({ name: "zipped" })));
    const r = post(new Uint8Array(gz), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(await readJson(r, schema, { maxBytes: 1024 })).toEqual({ name: "zipped" });

    const bomb = gzipSync(Buffer.from(JSON.stringify({ name: "a".repeat(5_000_000) })));
    expect(bomb.byteLength).toBeLessThan(10_000);
    const e = await caught(readJson(post(new Uint8Array(bomb), { "content-type": "application/json", "content-encoding": "gzip" }), schema, { maxBytes: 64 * 1024 }));
    expect(e.status).toBe(413);
  });

  it("answers 400 for a corrupt gzip body and 415 for unknown encodings", async () => {
    const e = await caught(readJson(post("not gzip at all", { "content-type": "application/json", "content-encoding": "gzip" }), schema, { maxBytes: 1024 }));
    expect(e.status).toBe(400);
    const e2 = await caught(readJson(post("{}", { "content-type": "application/json", "content-encoding": "br" }), schema, { maxBytes: 1024 }));
    expect(e2.status).toBe(415);
  });
});

describe("route and problem answers", () => {
  const req = (method = "GET") => new Request("http://localhost/api/v1/things/42?x=1", { method });

  it("turns AppErrors into problem+json with the request path as instance", async () => {
    const h = route(async () => {
      throw AppError.notFound("Cluster");
    });
    const res = await h(req(), undefined);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, code: "NOT_FOUND", title: "Not found", detail: "Cluster not found", instance: "/api/v1/things/42" });
  });

  it("adds Retry-After to rate-limited answers and field errors to validation failures", async () => {
    const limited = await route(async () => {
      throw new AppError("RATE_LIMITED", "Slow down", { retryAfterSeconds: 42 });
    })(req(), undefined);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("42");

    const invalid = await route(async () => {
      throw new AppError("VALIDATION_FAILED", "Bad", { fields: [{ path: "email", message: "Invalid email" }] });
    })(req(), undefined);
    expect((await invalid.json()) as unknown).toMatchObject({ status: 400, errors: [{ path: "email", message: "Invalid email" }] });
  });

  it("hides unexpected errors behind a generic 500", async () => {
    const res = await route(async () => {
      throw new Error("connection to 10.0.0.5:5432 refused, password=hunter2");
    })(req(), undefined);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("10.0.0.5");
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL", detail: "An unexpected error occurred" });
  });

  it("passes successful responses through", async () => {
    const res = await route(async () => json({ ok: true }, { status: 201 }))(req(), undefined);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("answers 405 with Allow for unsupported methods and 404 for unknown paths", async () => {
    const { DELETE } = methodNotAllowed("GET");
    const res = await DELETE(req("DELETE"), undefined);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(res.headers.get("content-type")).toBe("application/problem+json");

    const nf = await notFoundRoute(new Request("http://localhost/api/v1/nope", { method: "PUT" }), undefined);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ code: "NOT_FOUND", instance: "/api/v1/nope" });
  });
});
