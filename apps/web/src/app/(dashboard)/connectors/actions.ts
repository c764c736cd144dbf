"use server";

import { createApiToken, revokeApiToken, type CreateApiTokenInput } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { env } from "../../../env.ts";
import { actionContext, runAction, type ActionResult } from "../../../server/actions.ts";
import { db } from "../../../server/db.ts";
import { setupSnippets, type Snippet } from "./snippets.ts";

// Authorisation (ADMIN+) and validation live in the core use cases; these only translate the form.

export interface CreatedTokenView {
  name: string;
  prefix: string;
  scopes: string[];
  token: string;
  snippets: Snippet[];
}

function optionalText(v: FormDataEntryValue | null): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Empty means "never"; anything else must be a whole number, which the core schema checks (with its field path). */
function optionalNumber(v: FormDataEntryValue | null): number | undefined {
  const s = optionalText(v);
  return s === undefined ? undefined : Number(s);
}

export async function createTokenAction(_prev: ActionResult<CreatedTokenView> | null, formData: FormData) {
  return runAction(async (): Promise<CreatedTokenView> => {
    const ctx = await actionContext();
    const clusterName = optionalText(formData.get("clusterName"));
    const created = await createApiToken(db(), ctx, {
      name: String(formData.get("name") ?? ""),
      // Unknown scope strings are refused by the use case's schema, with the field path.
      scopes: formData.getAll("scopes").map(String) as CreateApiTokenInput["scopes"],
      clusterName,
      expiresInDays: optionalNumber(formData.get("expiresInDays")),
    });
    revalidatePath("/connectors");
    return {
      name: created.name,
      prefix: created.prefix,
      scopes: created.scopes,
      token: created.token,
      snippets: setupSnippets({ baseUrl: env().NEXTAUTH_URL, token: created.token, cluster: clusterName ?? null }),
    };
  });
}

export async function revokeTokenAction(id: string) {
  return runAction(async () => {
    const ctx = await actionContext();
    const r = await revokeApiToken(db(), ctx, id);
    revalidatePath("/connectors");
    return { id: r.id, changed: r.changed };
  });
}
