"use server";

import { approveException, rejectException, requestException, revokeException } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";

// Server actions are public POST endpoints: arguments are untrusted and go to the core use cases,
// which validate and authorise them (ANALYST+ to request, ADMIN+ to decide) exactly like the
// /api/v1/exceptions routes.

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** An empty note is no note; length is the use case's to check. */
function decision(note: unknown): { note?: string } {
  const n = typeof note === "string" ? note.trim() : "";
  return n === "" ? {} : { note: n };
}

function refresh(id?: string): void {
  revalidatePath("/exceptions");
  if (id) revalidatePath(`/exceptions/${id}`);
}

export async function requestExceptionAction(input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await requestException(db(), ctx, input);
    refresh();
    return { id: r.exception.id, matchCount: r.matchCount, warnings: r.warnings };
  });
}

export async function approveExceptionAction(id: unknown, note: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await approveException(db(), ctx, text(id), decision(note));
    refresh(r.exception.id);
    return { state: r.exception.state, suppressed: r.suppressed };
  });
}

export async function rejectExceptionAction(id: unknown, note: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await rejectException(db(), ctx, text(id), decision(note));
    refresh(r.id);
    return { state: r.state };
  });
}

/** Revokes an approved exception (ADMIN+) or withdraws the caller's own request. */
export async function revokeExceptionAction(id: unknown, note: unknown) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await revokeException(db(), ctx, text(id), decision(note));
    refresh(r.exception.id);
    return { state: r.exception.state, reopened: r.reopened };
  });
}
