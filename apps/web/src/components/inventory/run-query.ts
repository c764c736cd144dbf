import { isAppError } from "@bulwark/core";

/**
 * Runs a list query for a page: refused parameters (a stale cursor, a hand-edited URL) become a message
 * for the reader instead of an error page; anything else is a real failure and propagates.
 */
export async function runQuery<T>(fn: () => Promise<T>): Promise<{ data: T | null; problem: string | null }> {
  try {
    return { data: await fn(), problem: null };
  } catch (err) {
    if (!isAppError(err) || err.status >= 500) throw err;
    const paths = (err.fields ?? []).map((f) => f.path);
    if (paths.includes("cursor")) return { data: null, problem: "This page of results no longer exists." };
    return { data: null, problem: paths.length > 0 ? `These parameters are not valid: ${paths.join(", ")}.` : err.message };
  }
}

/** A detail read for a page: NOT_FOUND (including another organization's id) renders the 404 page. */
export async function detailOrNotFound<T>(p: Promise<T>, notFound: () => never): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
}
