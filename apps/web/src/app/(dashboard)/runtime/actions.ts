"use server";

import { addBaselineProcess, lockProcessBaseline, resetProcessBaseline, suppressRuntimeFinding, triageFindings, updateRuntimeSettings } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";

// Server actions of the Runtime pages. They are public POST endpoints: arguments are untrusted and go
// to the core use cases as they came, which validate and authorise them (ANALYST+ to suppress, ADMIN+
// for baselines and settings) exactly like the /api/v1/runtime routes.

const text = (v: unknown) => (typeof v === "string" ? v : "");

export async function suppressRuntimeAction(id: unknown, input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await suppressRuntimeFinding(db(), ctx, text(id), input);
    revalidatePath("/runtime");
    revalidatePath("/exceptions");
    return { exceptionId: r.exceptionId, approved: r.approved, suppressed: r.suppressed, matchCount: r.matchCount, expiresAt: r.expiresAt.toISOString() };
  });
}

/** Closes an open runtime finding by hand (ANALYST+, audited); its next event reopens it. */
export async function resolveRuntimeAction(id: unknown, reason: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await triageFindings(db(), ctx, { ids: [text(id)], action: "resolve", reason: text(reason) });
    revalidatePath("/runtime");
    return { resolved: r.resolved, skipped: r.skipped.map((s) => s.reason) };
  });
}

function baselineDone(id: string): void {
  revalidatePath("/runtime/baselines");
  revalidatePath(`/runtime/baselines/${id}`);
}

export async function lockBaselineAction(id: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const b = await lockProcessBaseline(db(), ctx, text(id));
    baselineDone(b.id);
    return { status: b.status };
  });
}

export async function resetBaselineAction(id: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const b = await resetProcessBaseline(db(), ctx, text(id));
    baselineDone(b.id);
    return { status: b.status, learningEndsAt: b.learningEndsAt.toISOString() };
  });
}

export async function addBaselineProcessAction(id: unknown, process: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const b = await addBaselineProcess(db(), ctx, text(id), { process });
    baselineDone(b.id);
    revalidatePath("/runtime");
    return { processes: b.processes.length, openAnomalies: b.openAnomalies };
  });
}

export async function updateRuntimeSettingsAction(input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const s = await updateRuntimeSettings(db(), ctx, input);
    revalidatePath("/runtime/settings");
    return s;
  });
}
