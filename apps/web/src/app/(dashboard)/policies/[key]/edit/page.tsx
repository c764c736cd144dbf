import { getPolicy, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { AdminOnly } from "../../../../../components/policies/admin-only.tsx";
import { PolicyEditor } from "../../../../../components/policies/policy-editor.tsx";
import { db } from "../../../../../server/db.ts";
import { requirePage } from "../../../../../server/org-context.ts";
import { orgClusterNames, orNotFound } from "../../data.ts";

type Props = { params: Promise<{ key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  return { title: `Edit policy ${key}` };
}

export default async function EditPolicyPage({ params }: Props) {
  const { key } = await params;
  const { ctx, current } = await requirePage();
  // Unknown and foreign keys are a 404 for everyone, before the role check says anything about them.
  const policy = await orNotFound(getPolicy(db(), ctx, key));
  if (!hasRole(current.role, "ADMIN")) return <AdminOnly title="Edit policy" role={current.role} orgName={current.name} />;
  const clusters = await orgClusterNames(ctx);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link href="/policies" className="hover:underline">
          Policies
        </Link>{" "}
        /{" "}
        <Link href={`/policies/${policy.key}`} className="font-mono hover:underline">
          {policy.key}
        </Link>{" "}
        / edit
      </nav>
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          {policy.builtin ? "Tune" : "Edit"} {policy.name}
        </h1>
        <p className="text-sm text-muted">Saving creates version {policy.currentVersion + 1}. If someone else saves first, you are told instead of overwriting their change.</p>
      </div>
      <PolicyEditor mode="edit" initial={policy.definition} builtin={policy.builtin} currentVersion={policy.currentVersion} clusters={clusters} />
    </section>
  );
}
