import { hasRole, listPolicies } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { AdminOnly } from "../../../../components/policies/admin-only.tsx";
import { ImportYaml } from "../../../../components/policies/import-yaml.tsx";
import { PolicyEditor } from "../../../../components/policies/policy-editor.tsx";
import type { SearchParams } from "../../../../components/policies/filters.ts";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { orgClusterNames } from "../data.ts";

export const metadata: Metadata = { title: "New policy" };

// One page for both ways to add policies: the form (default) and a YAML import (?tab=import).
export default async function NewPolicyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, current } = await requirePage();
  if (!hasRole(current.role, "ADMIN")) return <AdminOnly title="New policy" role={current.role} orgName={current.name} />;
  const importing = (await searchParams).tab === "import";
  const tab = (active: boolean) => `border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-accent text-fg" : "border-transparent text-muted hover:text-fg"}`;

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link href="/policies" className="hover:underline">
          Policies
        </Link>{" "}
        / new
      </nav>
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          {importing ? "Import policies" : "New policy"}
        </h1>
        <p className="text-sm text-muted">
          {importing
            ? "Paste or upload a policy file as the CLI reads it. Existing keys get a new version; built-ins only accept enforcement, scope, exclusions and enabled."
            : "A custom policy with a criteria or CEL rule. It is checked as you type and saved as version 1."}
        </p>
      </div>
      <nav aria-label="How to add" className="flex gap-1 border-b border-border">
        <Link href="/policies/new" className={tab(!importing)} aria-current={!importing ? "page" : undefined}>
          Form
        </Link>
        <Link href="/policies/new?tab=import" className={tab(importing)} aria-current={importing ? "page" : undefined} data-testid="tab-import">
          Import YAML
        </Link>
      </nav>
      {importing ? (
        <ImportYaml existing={(await listPolicies(db(), ctx)).policies.map((p) => ({ key: p.key, builtin: p.builtin }))} />
      ) : (
        <PolicyEditor mode="create" initial={null} builtin={false} currentVersion={null} clusters={await orgClusterNames(ctx)} />
      )}
    </section>
  );
}
