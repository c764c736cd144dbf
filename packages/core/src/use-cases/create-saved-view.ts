import { type Db, Prisma } from "@bulwark/db";
import { z } from "zod";
import { writeAudit } from "../audit.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { findingsQueryString, parseFindingFilters } from "../findings/filters.ts";

/** Pages that have saved views, each with the parser that validates (and canonicalizes) its query. */
export const SAVED_VIEW_PAGES = {
  findings: (query: string) => findingsQueryString(parseFindingFilters(query)),
} as const;
export type SavedViewPage = keyof typeof SAVED_VIEW_PAGES;
export const MAX_SAVED_VIEWS = 100;

export const createSavedViewSchema = z.strictObject({
  page: z.enum(Object.keys(SAVED_VIEW_PAGES) as [SavedViewPage]).default("findings"),
  name: z.string().trim().min(1, "Name the view").max(80),
  query: z.string().max(4_000).default("").meta({ description: "The page's query string, e.g. severity=CRITICAL&fixable=true" }),
  shared: z.boolean().default(false).meta({ description: "Visible to every member of the organization (ANALYST+ to share)" }),
});

export interface SavedViewDto {
  id: string;
  page: string;
  name: string;
  query: string;
  shared: boolean;
  mine: boolean;
  owner: string | null;
  createdAt: Date;
}

/**
 * Saves the current filters under a name (any signed-in member for a private view; sharing with the
 * organization needs ANALYST+ and is audited). The query is validated by the page's parser and stored
 * in canonical form without a cursor. Names are unique per user and page.
 */
export async function createSavedView(db: Db, ctx: OrgContext, input: unknown): Promise<SavedViewDto> {
  const actor = requireRole(ctx, "VIEWER");
  const parsed = createSavedViewSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { page, name, shared } = parsed.data;
  if (shared) requireRole(ctx, "ANALYST");
  let query: string;
  try {
    query = SAVED_VIEW_PAGES[page](parsed.data.query);
  } catch (err) {
    if (err instanceof AppError && err.fields) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: err.fields.map((f) => ({ ...f, path: `query.${f.path}` })) });
    throw err;
  }
  if ((await db.savedView.count({ where: { orgId: ctx.orgId, userId: actor.userId, page } })) >= MAX_SAVED_VIEWS) {
    throw new AppError("CONFLICT", `At most ${MAX_SAVED_VIEWS} saved views per page; delete one first`);
  }
  try {
    const view = await db.$transaction(async (tx) => {
      const v = await tx.savedView.create({ data: { orgId: ctx.orgId, userId: actor.userId, page, name, query, shared } });
      if (shared) await writeAudit(tx, ctx, { action: "saved-view.created", targetType: "saved-view", targetId: v.id, metadata: { page, name, query } });
      return v;
    });
    return { id: view.id, page: view.page, name: view.name, query: view.query, shared: view.shared, mine: true, owner: actor.email, createdAt: view.createdAt };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("CONFLICT", `You already have a view named "${name}"`, { fields: [{ path: "name", message: "Already used" }] });
    }
    throw err;
  }
}
