"use server";

import { changeMemberRole, inviteMember, removeMember } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { env } from "../../../env.ts";
import { actionContext, runAction, type ActionResult } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";

// Authorisation lives in the core use cases (ADMIN+, owner-only rules, last-owner guard); these
// actions only resolve the caller and translate the outcome for the form.

export async function inviteAction(_prev: ActionResult<{ email: string; acceptUrl: string }> | null, formData: FormData) {
  return runAction(async () => {
    const ctx = await actionContext();
    const inv = await inviteMember(db(), ctx, { email: formData.get("email"), role: formData.get("role") });
    revalidatePath("/settings");
    return { email: inv.email, acceptUrl: `${env().NEXTAUTH_URL.replace(/\/+$/, "")}/invite/${inv.token}` };
  });
}

export async function changeRoleAction(membershipId: string, role: string) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await changeMemberRole(db(), ctx, membershipId, { role });
    revalidatePath("/settings");
    return r;
  });
}

export async function removeMemberAction(membershipId: string) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await removeMember(db(), ctx, membershipId);
    revalidatePath("/settings");
    return r;
  });
}
