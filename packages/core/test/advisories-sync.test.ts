import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { importAdvisories } from "../src/use-cases/import-advisories.ts";
import { listAdvisorySources, redactLocation } from "../src/use-cases/list-advisory-sources.ts";
import { parseAdvisorySourceList, syncAdvisorySources } from "../src/use-cases/sync-advisory-sources.ts";
import { testDb, uid } from "./helpers.ts";
import { fixtureSet, later, writeTree, zipOf } from "./advisories-helpers.ts";

// The feed sync against a real HTTP server on 127.0.0.1 and real directories: conditional GETs, the
// directory change check, per-feed status rows, and one failing feed not stopping the others.

let db: Db;
let server: Server;
let base: string;
const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
/** What the server answers per path: body + ETag, or a status. */
const routes = new Map<string, { body: Uint8Array; etag: string; chunked?: boolean } | { status: number }>();

beforeAll(async () => {
  db = testDb();
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    const route = routes.get(req.url ?? "");
    if (!route) return void res.writeHead(404).end();
    if ("status" in route) return void res.writeHead(route.status).end("nope");
    if (req.headers["if-none-match"] === route.etag) return void res.writeHead(304, { etag: route.etag }).end();
    const length = route.chunked ? {} : { "content-length": route.body.length };
    res.writeHead(200, { "content-type": "application/zip", ...length, etag: route.etag, "last-modified": "Sat, 28 Nov 2026 10:00:00 GMT" }).end(route.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await db.$disconnect();
});

describe("syncAdvisorySources", () => {
  it("imports each feed, answers 'unchanged' from a 304 or an untouched directory, and isolates a failing feed", async () => {
    const f = fixtureSet();
    const tag = uid();
    routes.set(`/${tag}/Alpine/all.zip`, { body: zipOf({ "CVE.json": f.mariadb }), etag: `"v1-${tag}"` });
    routes.set(`/${tag}/broken/all.zip`, { status: 500 });
    const dir = writeTree({ "npm/ghsa.json": f.ghsa });
    const sources = [
      { name: `alpine-${tag}`, location: `${base}/${tag}/Alpine/all.zip` },
      { name: `broken-${tag}`, location: `${base}/${tag}/broken/all.zip` },
      { name: `local-${tag}`, location: dir },
    ];

    const first = await syncAdvisorySources(db, { sources });
    expect(first.sources.map((s) => [s.name, s.status])).toEqual([
      [`alpine-${tag}`, "ok"],
      [`broken-${tag}`, "failed"],
      [`local-${tag}`, "ok"],
    ]);
    expect(first.sources[1]!.error).toBe("download failed: HTTP 500");
    expect(first.sources[0]!.stats).toMatchObject({ files: 1, records: 1, inserted: 1 });
    const stored = await db.advisory.findMany({ where: { externalId: { in: [f.mariadb.id, f.ghsa.id] } }, select: { id: true, source: true, externalId: true } });
    expect(first.changedAdvisoryIds.sort()).toEqual(stored.map((a) => a.id).sort());
    expect(Object.fromEntries(stored.map((a) => [a.externalId, a.source]))).toEqual({ [f.mariadb.id]: `alpine-${tag}`, [f.ghsa.id]: `local-${tag}` });

    const rows = await db.advisorySource.findMany({ where: { name: { endsWith: tag } }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.lastStatus, r.etag])).toEqual([
      [`alpine-${tag}`, "ok", `"v1-${tag}"`],
      [`broken-${tag}`, "failed", null],
      [`local-${tag}`, "ok", null],
    ]);
    expect(rows[1]!.lastError).toBe("download failed: HTTP 500");
    expect(rows[0]!.lastStats).toMatchObject({ records: 1, inserted: 1, issueCount: 0 });

    // Second run: the server answers 304 to the stored ETag; the directory has not changed.
    requests.length = 0;
    const second = await syncAdvisorySources(db, { sources });
    expect(second.sources.map((s) => s.status)).toEqual(["unchanged", "failed", "unchanged"]);
    expect(second.changedAdvisoryIds).toEqual([]);
    expect(requests.find((r) => r.url === `/${tag}/Alpine/all.zip`)?.headers).toMatchObject({ "if-none-match": `"v1-${tag}"`, "if-modified-since": "Sat, 28 Nov 2026 10:00:00 GMT" });
    const alpine = await db.advisorySource.findUniqueOrThrow({ where: { name: `alpine-${tag}` } });
    expect(alpine.lastStatus).toBe("unchanged");
    expect(alpine.lastStats).toMatchObject({ inserted: 1 }); // stats of the last import that read something

    // A new file in the directory and a new feed version are picked up.
    writeFileSync(join(dir, "npm/ghsa.json"), JSON.stringify({ ...f.ghsa, modified: later(f.ghsa.modified), summary: "changed" }));
    routes.set(`/${tag}/Alpine/all.zip`, { body: zipOf({ "CVE.json": f.mariadb, "DSA.json": f.dsa }), etag: `"v2-${tag}"` });
    const third = await syncAdvisorySources(db, { sources });
    expect(third.sources.map((s) => s.status)).toEqual(["ok", "failed", "ok"]);
    expect(third.sources[0]!.stats).toMatchObject({ records: 2, inserted: 1, unchanged: 1 });
    expect(third.sources[2]!.stats).toMatchObject({ records: 1, updated: 1 });
    expect(third.changedAdvisoryIds).toHaveLength(2);
    expect((await db.advisorySource.findUniqueOrThrow({ where: { name: `alpine-${tag}` } })).etag).toBe(`"v2-${tag}"`);
  });

  it("skips disabled feeds, resets validators when a feed moves, and reports a missing directory", async () => {
    const tag = uid();
    const f = fixtureSet();
    routes.set(`/${tag}/a.zip`, { body: zipOf({ "DSA.json": f.dsa }), etag: `"a-${tag}"` });
    await syncAdvisorySources(db, { sources: [{ name: `moving-${tag}`, location: `${base}/${tag}/a.zip` }] });
    routes.set(`/${tag}/b.zip`, { body: zipOf({ "DSA.json": f.dsa }), etag: `"a-${tag}"` });
    requests.length = 0;
    const moved = await syncAdvisorySources(db, { sources: [{ name: `moving-${tag}`, location: `${base}/${tag}/b.zip` }] });
    // The old ETag is not sent to the new location: the feed is downloaded (its records are unchanged).
    expect(moved.sources[0]).toMatchObject({ status: "ok", stats: { records: 1, unchanged: 1 } });
    expect(requests[0]?.headers["if-none-match"]).toBeUndefined();

    await db.advisorySource.update({ where: { name: `moving-${tag}` }, data: { enabled: false } });
    const missing = `/nonexistent/${tag}`;
    const res = await syncAdvisorySources(db, { sources: [{ name: `moving-${tag}`, location: `${base}/${tag}/b.zip` }, { name: `gone-${tag}`, location: missing }] });
    expect(res.sources.map((s) => s.status)).toEqual(["disabled", "failed"]);
    expect(res.sources[1]!.error).toBe(`${missing} does not exist or cannot be read`);

    const listed = await listAdvisorySources(db);
    expect(listed.find((s) => s.name === `moving-${tag}`)).toMatchObject({ enabled: false, lastStatus: "ok", advisoryCount: 1 });
    expect(listed.find((s) => s.name === `gone-${tag}`)).toMatchObject({ lastStatus: "failed", advisoryCount: 0 });
  });
});

describe("importAdvisories from a URL", () => {
  it("downloads and imports an export, bounded by size whether or not the server declares it", async () => {
    const f = fixtureSet();
    const tag = uid();
    const body = zipOf({ "GHSA.json": f.ghsa, "DSA.json": f.dsa });
    routes.set(`/${tag}/declared.zip`, { body, etag: `"d-${tag}"` });
    routes.set(`/${tag}/chunked.zip`, { body, etag: `"c-${tag}"`, chunked: true });
    const res = await importAdvisories(db, { location: `${base}/${tag}/declared.zip` });
    expect(res.stats).toMatchObject({ files: 2, inserted: 2 });
    expect(res.issueCount).toBe(0);

    const limits = { maxDownloadBytes: body.length - 1 };
    await expect(importAdvisories(db, { location: `${base}/${tag}/declared.zip` }, { limits })).rejects.toThrow(`download is ${body.length} bytes, over the ${body.length - 1}-byte limit`);
    await expect(importAdvisories(db, { location: `${base}/${tag}/chunked.zip` }, { limits })).rejects.toThrow(`download exceeds the ${body.length - 1}-byte limit`);
    // A port nothing listens on (fetch refuses "bad ports" like 1 before connecting).
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await syncAdvisorySources(db, { sources: [{ name: `refused-${tag}`, location: `http://127.0.0.1:${port}/all.zip` }] });
    expect(refused.sources[0]).toMatchObject({ status: "failed", error: "download failed (ECONNREFUSED)" });
  });
});

describe("configuration helpers", () => {
  it("parses BULWARK_ADVISORY_SOURCES and rejects malformed entries", () => {
    expect(parseAdvisorySourceList(" debian=https://x.test/Debian/all.zip,\nlocal=/srv/osv ; ")).toEqual([
      { name: "debian", location: "https://x.test/Debian/all.zip" },
      { name: "local", location: "/srv/osv" },
    ]);
    expect(parseAdvisorySourceList("")).toEqual([]);
    expect(() => parseAdvisorySourceList("just-a-path")).toThrow(/name=location/);
    expect(() => parseAdvisorySourceList("a=/x a=/y")).toThrow(/listed twice/);
  });

  it("never shows credentials of a feed URL", () => {
    expect(redactLocation("https://user:secret@mirror.test/all.zip?token=abc")).toBe("https://***@mirror.test/all.zip?token=***");
    expect(redactLocation("/srv/osv")).toBe("/srv/osv");
    expect(redactLocation("https://mirror.test/all.zip")).toBe("https://mirror.test/all.zip");
  });
});
