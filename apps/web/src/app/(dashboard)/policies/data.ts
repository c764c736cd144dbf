import { isAppError, listClusterNames, type OrgContext } from "@bulwark/core";
import { notFound } from "next/navigation";
import { db } from "../../../server/db.ts";

// Helpers of the policy pages: the cluster picker's choices and 404 mapping.

export function orgClusterNames(ctx: OrgContext): Promise<string[]> {
  return listClusterNames(db(), ctx);
}

/** A use case's NOT_FOUND (unknown key, another organization's key) as the page's 404. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
}
