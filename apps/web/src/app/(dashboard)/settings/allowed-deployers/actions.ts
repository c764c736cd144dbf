"use server";

import { addAllowedDeployer, removeAllowedDeployer } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../../server/actions.ts";
import { db } from "../../../../server/db.ts";

// Authorisation (ADMIN+), validation and the audit row live in the core use cases. The list feeds the
// signed bundle, so the enforcement overview (bundle version, rule count) is refreshed as well.

function text(v: FormDataEntryValue | null): string {
  return typeof v === "string" ? v.trim() : "";
}

export async function addDeployerAction(formData: FormData) {
  return runAction(async () => {
    const ctx = await actionContext();
    const note = text(formData.get("note"));
    const d = await addAllowedDeployer(db(), ctx, { namespace: text(formData.get("namespace")), subject: text(formData.get("subject")), ...(note ? { note } : {}) });
    revalidatePath("/settings/allowed-deployers");
    revalidatePath("/enforcement");
    return { id: d.id, namespace: d.namespace, subject: d.subject };
  });
}

export async function removeDeployerAction(id: string) {
  return runAction(async () => {
    const ctx = await actionContext();
    await removeAllowedDeployer(db(), ctx, id);
    revalidatePath("/settings/allowed-deployers");
    revalidatePath("/enforcement");
    return { id };
  });
}
