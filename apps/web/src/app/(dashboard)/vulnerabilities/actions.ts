"use server";

import { setRescanSchedule, startRescan } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";
import { queue } from "../../../server/queue.ts";
import { searchImages } from "./data.ts";

// Server actions are public POST endpoints: arguments are untrusted and go to the core use cases as
// they came, which validate and authorise them (ANALYST+ to rescan, ADMIN+ for the schedule) exactly
// like POST /api/v1/scan-runs and PUT /api/v1/settings/rescan-schedule.

function refresh(): void {
  revalidatePath("/vulnerabilities");
}

export async function startRescanAction(kind: unknown, targetId: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const input = typeof targetId === "string" && targetId !== "" ? { kind, targetId } : { kind };
    const run = await startRescan(db(), await queue(), ctx, input);
    refresh();
    return { id: run.id, status: run.status };
  });
}

export async function setRescanScheduleAction(cron: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await setRescanSchedule(db(), ctx, { cron });
    refresh();
    return { cron: r.cron, lastDue: r.lastDue?.toISOString() ?? null };
  });
}

/** Images of the organization matching a repository search, for the "rescan one image" picker (any member). */
export async function searchImagesAction(q: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    return searchImages(ctx, typeof q === "string" ? q : "");
  });
}
