"use server";

import { createSavedView, deleteSavedView, isAppError, triageFindings } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionContext } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";
import { logger } from "../../../server/logger.ts";

// Server actions of the findings explorer, posted by plain forms (no client script): each re-resolves
// the caller and leaves authorisation to the core use case (ANALYST+ to triage), then returns to the
// page it came from with the outcome as codes in the URL (components/findings/notice.ts).

const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

/** Only a path of the explorer itself: a form field must not become an open redirect. */
function backTo(raw: string): string {
  return /^\/findings(\/[A-Za-z0-9_-]+)?(\?[^\s#]*)?$/.test(raw) ? raw : "/findings";
}

function withParams(back: string, params: Record<string, string | number>): string {
  const [path, query = ""] = back.split("?", 2) as [string, string?];
  const sp = new URLSearchParams(query);
  for (const k of ["done", "err", "n", "ex", "skip", "approved"]) sp.delete(k);
  for (const [k, v] of Object.entries(params)) sp.set(k, String(v));
  return `${path}?${sp.toString()}`;
}

function errorCode(err: unknown): string {
  if (isAppError(err) && err.status < 500) return err.code;
  logger().error({ err }, "findings action failed");
  return "ERROR";
}

export async function triageAction(formData: FormData): Promise<void> {
  const back = backTo(text(formData.get("back")));
  const ids = formData.getAll("ids").filter((v): v is string => typeof v === "string" && v !== "");
  if (ids.length === 0) redirect(withParams(back, { err: "NONE" }));
  const day = text(formData.get("expiresAt"));
  let target: string;
  try {
    const ctx = await actionContext();
    const r = await triageFindings(db(), ctx, {
      ids,
      action: text(formData.get("action")),
      reason: text(formData.get("reason")),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(day) ? { expiresAt: `${day}T23:59:59Z` } : {}),
    });
    const n = r.action === "reopen" ? r.reopened : r.action === "resolve" ? r.resolved : r.exceptions.reduce((s, e) => s + e.findings, 0);
    target = withParams(back, { done: r.action, n, ex: r.exceptions.length, skip: r.skipped.length, approved: r.exceptions.some((e) => e.approved) ? 1 : 0 });
    revalidatePath("/findings");
  } catch (err) {
    target = withParams(back, { err: errorCode(err) });
  }
  redirect(target);
}

export async function saveViewAction(formData: FormData): Promise<void> {
  const query = text(formData.get("query"));
  let target: string;
  try {
    const ctx = await actionContext();
    const v = await createSavedView(db(), ctx, { page: "findings", name: text(formData.get("name")), query, shared: formData.get("shared") === "true" });
    target = withParams(`/findings${v.query ? `?${v.query}` : ""}`, { done: "view-saved" });
  } catch (err) {
    target = withParams(backTo(`/findings?${query}`), { err: errorCode(err) });
  }
  redirect(target);
}

export async function deleteViewAction(formData: FormData): Promise<void> {
  const back = backTo(`/findings?${text(formData.get("back"))}`);
  let target: string;
  try {
    const ctx = await actionContext();
    await deleteSavedView(db(), ctx, text(formData.get("id")));
    target = withParams(back, { done: "view-deleted" });
  } catch (err) {
    target = withParams(back, { err: errorCode(err) });
  }
  redirect(target);
}
