import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Db, type ReportKind } from "@bulwark/db";
import { type OrgContext } from "../src/context.ts";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { authenticateToken } from "../src/use-cases/authenticate-token.ts";
import { createApiTokenForOrg } from "../src/use-cases/create-api-token.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { makeOrg } from "./helpers.ts";

const FIXTURES = fileURLToPath(new URL("../src/ingest/__fixtures__/", import.meta.url));

export function fixture(path: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES}${path}`, "utf8"));
}

export function falcoFixtures(): unknown[] {
  return readdirSync(`${FIXTURES}falco`)
    .sort()
    .map((f) => fixture(`falco/${f}`));
}

/** A fresh organization and the context of an ingest token of it, as the API would resolve it. */
export async function ingestOrg(db: Db) {
  const org = await makeOrg(db, "ingest");
  const token = await createApiTokenForOrg(db, org.slug, { name: "connector", scopes: ["ingest"] }, "test");
  const ctx: OrgContext = await authenticateToken(db, token.token, "ingest");
  return { org, ctx };
}

/** Accepts a report as the API does (no queue: the test processes it) and processes it. */
export async function post(db: Db, ctx: OrgContext, kind: ReportKind, body: unknown, subject: string | null = null) {
  const accepted = await acceptReport(db, null, ctx, { kind, body, subject });
  const result = await processReport(db, accepted.id);
  const report = await db.report.findUniqueOrThrow({ where: { id: accepted.id } });
  return { id: accepted.id, result, report, counts: report.counts as Record<string, number> };
}

export const clone = <T>(v: T): T => structuredClone(v);
