"use server";

import { listUserOrgs } from "@bulwark/core";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "../../env.ts";
import { currentUserId } from "../../server/auth.ts";
import { db } from "../../server/db.ts";
import { ORG_COOKIE } from "../../server/org-context.ts";

/** The cookie is only a preference: it is set after a membership check and re-checked on every request. */
export async function switchOrganization(formData: FormData): Promise<void> {
  const userId = await currentUserId();
  if (!userId) redirect("/signin");
  const orgId = String(formData.get("orgId") ?? "");
  const orgs = await listUserOrgs(db(), userId);
  if (!orgs.some((o) => o.orgId === orgId)) redirect("/");
  (await cookies()).set(ORG_COOKIE, orgId, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NEXTAUTH_URL.startsWith("https://"),
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  redirect("/");
}
