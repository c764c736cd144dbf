import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "../src/notifications/http-post.ts";

// The outbound client's bounds against a loopback server: redirects only on the same host, a deadline
// for the whole exchange, and a cap on what is read back.

let server: Server;
let base: string;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === "/moved") {
      res.writeHead(307, { location: "/final" }).end();
    } else if (req.url === "/elsewhere") {
      res.writeHead(308, { location: `http://localhost:${port}/final` }).end();
    } else if (req.url === "/loop") {
      res.writeHead(302, { location: "/loop" }).end();
    } else if (req.url === "/slow") {
      // Never answers; the client's deadline must end it.
    } else if (req.url === "/huge") {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      let sent = 0;
      const pump = () => {
        while (sent < 400 && res.write(chunk)) sent++;
        if (sent >= 400) res.end();
        else res.once("drain", pump);
      };
      pump();
    } else {
      res.writeHead(req.url === "/final" ? 201 : 404).end("done");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string, timeoutMs = 2_000) => postJson(`${base}${path}`, "{}", { "content-type": "application/json" }, { timeoutMs });

describe("outbound POST", () => {
  it("follows a redirect on the same host, re-sending the POST", async () => {
    hits.length = 0;
    expect(await post("/moved")).toEqual({ ok: true, status: 201, error: null });
    expect(hits).toEqual(["POST /moved", "POST /final"]);
  });

  it("refuses a redirect to another host and stops a redirect loop", async () => {
    hits.length = 0;
    expect(await post("/elsewhere")).toEqual({ ok: false, status: 308, error: "HTTP 308: redirect to another host refused" });
    expect(hits).toEqual(["POST /elsewhere"]);
    expect(await post("/loop")).toMatchObject({ ok: false, status: 302, error: "HTTP 302: too many redirects" });
  });

  it("gives up at the deadline and names no URL", async () => {
    const started = Date.now();
    const r = await post("/slow", 300);
    expect(r).toEqual({ ok: false, status: null, error: "timed out after 0.3 s" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("reads at most the response cap of a huge answer", async () => {
    const r = await post("/huge");
    expect(r).toEqual({ ok: true, status: 200, error: null });
    expect((await post("/missing")).error).toBe("HTTP 404 Not Found");
  });
});
