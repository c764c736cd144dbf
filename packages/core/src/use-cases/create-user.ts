import { type Db, type Role } from "@bulwark/db";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { writeSystemAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../crypto/passwords.ts";
import { ROLES } from "../roles.ts";

// Bootstrap path used by the admin CLI and the demo seed: no signed-in actor exists yet, so the audit
// row is written as the system actor named by `by`.

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(200).optional(),
  org: z.string().trim().min(1).max(100),
  orgName: z.string().trim().min(1).max(200).optional(),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional(),
});

export type CreateUserInput = z.input<typeof createUserSchema>;

export interface CreateUserResult {
  userId: string;
  orgId: string;
  orgSlug: string;
  role: Role;
  createdUser: boolean;
  createdOrg: boolean;
  /** Set only when the password was generated here; shown once, never stored in clear. */
  generatedPassword?: string;
}

export function slugify(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "org";
}

export async function createUser(db: Db, input: CreateUserInput, by = "cli"): Promise<CreateUserResult> {
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { email, name, org, orgName, role } = parsed.data;
  const slug = slugify(org);
  const existingUser = await db.user.findUnique({ where: { email } });
  const generatedPassword = !parsed.data.password && !existingUser?.passwordHash ? randomBytes(12).toString("base64url") : undefined;
  const password = parsed.data.password ?? generatedPassword;
  const passwordHash = password ? await hashPassword(password) : undefined;

  return db.$transaction(async (tx) => {
    let organization = await tx.organization.findUnique({ where: { slug } });
    const createdOrg = !organization;
    organization ??= await tx.organization.create({ data: { slug, name: orgName ?? org } });
    const user = existingUser
      ? await tx.user.update({
          where: { id: existingUser.id },
          data: { ...(passwordHash ? { passwordHash } : {}), ...(name ? { name } : {}), disabled: false },
        })
      : await tx.user.create({ data: { email, name: name ?? null, passwordHash: passwordHash ?? null } });
    const membership = await tx.membership.upsert({
      where: { orgId_userId: { orgId: organization.id, userId: user.id } },
      create: { orgId: organization.id, userId: user.id, role },
      update: { role },
    });
    if (createdOrg) {
      await writeSystemAudit(tx, organization.id, by, { action: "org.created", targetType: "organization", targetId: organization.id, metadata: { slug } });
    }
    await writeSystemAudit(tx, organization.id, by, {
      action: "member.upserted",
      targetType: "membership",
      targetId: membership.id,
      metadata: { email, role, passwordSet: Boolean(passwordHash) },
    });
    return {
      userId: user.id,
      orgId: organization.id,
      orgSlug: organization.slug,
      role,
      createdUser: !existingUser,
      createdOrg,
      ...(generatedPassword ? { generatedPassword } : {}),
    };
  });
}
