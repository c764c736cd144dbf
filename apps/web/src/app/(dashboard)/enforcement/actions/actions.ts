"use server";

import { cancelResponseAction } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { actionContext, runAction } from "../../../../server/actions.ts";
import { db } from "../../../../server/db.ts";

// Authorisation (ADMIN+), the state check and the audit row live in the core use case.
export async function cancelResponseActionAction(id: string) {
  return runAction(async () => {
    const ctx = await actionContext();
    const action = await cancelResponseAction(db(), ctx, id);
    revalidatePath("/enforcement/actions");
    return { id: action.id, status: action.status };
  });
}
