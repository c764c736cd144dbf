"use server";

import { acceptInvitation } from "@bulwark/core";
import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";

export async function acceptInviteAction(_prev: ActionResult<null> | null, formData: FormData): Promise<ActionResult<null>> {
  const name = String(formData.get("name") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const result = await runAction(async () => {
    await acceptInvitation(db(), {
      token: formData.get("token"),
      ...(name ? { name } : {}),
      ...(password ? { password } : {}),
    });
    return null;
  });
  if (result.ok) redirect("/signin?invited=1");
  return result;
}
