import { hasRole, listClusterNames, MAX_EXCEPTION_DAYS } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { RequestExceptionForm } from "../../../../components/exceptions/request-form.tsx";
import { REQUEST_SCOPE_FIELDS } from "../../../../components/exceptions/request.ts";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { policyKeys } from "../data.ts";

export const metadata: Metadata = { title: "Request exception" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Scope fields prefilled from the link (?advisory=CVE-…&imageRepository=…), e.g. from an advisory page. */
function prefill(sp: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name } of REQUEST_SCOPE_FIELDS) {
    const v = sp[name];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    if (s && s.length <= 1000) out[name] = s;
  }
  return out;
}

export default async function NewExceptionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, current } = await requirePage();
  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="text-sm text-muted">
      <Link href="/exceptions" className="hover:underline">
        Exceptions
      </Link>{" "}
      / request
    </nav>
  );
  if (!hasRole(current.role, "ANALYST")) {
    return (
      <section aria-labelledby="page-title" className="space-y-4">
        {breadcrumb}
        <h1 id="page-title" className="text-2xl font-semibold">
          Request exception
        </h1>
        <div className="card max-w-xl" role="alert" data-testid="forbidden">
          <p className="text-sm font-semibold text-danger">403 · Not allowed</p>
          <p className="mt-2 text-sm">
            Requesting an exception needs the analyst role or higher. Your role in {current.name} is {current.role.toLowerCase()}.
          </p>
        </div>
      </section>
    );
  }
  const [clusters, policies] = await Promise.all([listClusterNames(db(), ctx), policyKeys(ctx)]);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      {breadcrumb}
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Request exception
        </h1>
        <p className="text-sm text-muted">
          The request is listed for admins with the number of findings it matches now. Nothing is suppressed until an admin approves it.
        </p>
      </div>
      <RequestExceptionForm clusters={clusters} policies={policies} initial={prefill(await searchParams)} maxDays={MAX_EXCEPTION_DAYS} />
    </section>
  );
}
