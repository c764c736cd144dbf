import { hasRole, isAppError, listExceptions, type OrgContext } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { ExceptionsTable } from "../../../components/exceptions/exceptions-table.tsx";
import { EXCEPTION_KINDS, EXCEPTION_STATUSES, exceptionsHref, parseExceptionFilters, type ExceptionFilters } from "../../../components/exceptions/filters.ts";
import { KIND_LABELS } from "../../../components/exceptions/labels.ts";
import { titleCase } from "../../../components/format.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Exceptions" };

const PAGE_SIZE = 50;

/** A stale cursor (the row was another organization's, or a hand-edited link) shows the first page instead. */
async function list(ctx: OrgContext, filters: ExceptionFilters) {
  try {
    return await listExceptions(db(), ctx, { ...filters, limit: PAGE_SIZE });
  } catch (err) {
    if (filters.cursor && isAppError(err) && err.code === "VALIDATION_FAILED") return listExceptions(db(), ctx, { ...filters, cursor: undefined, limit: PAGE_SIZE });
    throw err;
  }
}

function Select({ id, label, name, value, options }: { id: string; label: string; name: string; value: string | undefined; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className="input py-1.5">
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, current } = await requirePage();
  const filters = parseExceptionFilters(await searchParams);
  const canRequest = hasRole(current.role, "ANALYST");
  const { items, nextCursor } = await list(ctx, filters);
  const filtered = Boolean(filters.status || filters.kind || filters.flag);

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Exceptions
          </h1>
          <p className="text-sm text-muted">
            Accepted risks and false positives: what each one covers, who asked, who decided and when it expires. Analysts request exceptions; admins approve,
            reject or revoke them.
          </p>
        </div>
        {canRequest ? (
          <Link href="/exceptions/new" className="btn btn-primary" data-testid="new-exception">
            Request exception
          </Link>
        ) : (
          <p className="max-w-xs text-xs text-muted" data-testid="request-disabled-reason">
            Requesting an exception needs the analyst role or higher; your role in {current.name} is {current.role.toLowerCase()}.
          </p>
        )}
      </div>

      <form method="get" action="/exceptions" role="search" aria-label="Filter exceptions" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_auto]" data-testid="exception-filters">
        <Select id="x-status" label="Status" name="status" value={filters.status} options={EXCEPTION_STATUSES.map((s) => ({ value: s, label: titleCase(s) }))} />
        <Select id="x-kind" label="Kind" name="kind" value={filters.kind} options={EXCEPTION_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] ?? k }))} />
        <Select
          id="x-flag"
          label="Flag"
          name="flag"
          value={filters.flag}
          options={[
            { value: "unused", label: "Matches nothing" },
            { value: "broad", label: "Matches over 100 findings" },
          ]}
        />
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Apply filters
          </button>
          {filtered ? (
            <Link href="/exceptions" className="btn">
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      <div className="card overflow-x-auto p-0">
        {items.length === 0 ? (
          <div className="p-6 text-sm" data-testid="exceptions-empty">
            {filtered ? (
              <p>
                No exception matches these filters.{" "}
                <Link href="/exceptions" className="text-accent underline">
                  Show all exceptions
                </Link>
                .
              </p>
            ) : (
              <>
                <p className="font-medium">No exception yet.</p>
                <p className="mt-1 text-muted">
                  An exception suppresses the findings in its scope (an advisory, a policy, an image, a place) once an admin approves it.
                  {canRequest ? " Request one when a finding is a false positive or an accepted risk." : ""}
                </p>
              </>
            )}
          </div>
        ) : (
          <ExceptionsTable rows={items} />
        )}
      </div>

      {filters.cursor || nextCursor ? (
        <nav aria-label="Exception pages" className="flex gap-2">
          {filters.cursor ? (
            <Link href={exceptionsHref(filters)} className="btn">
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={exceptionsHref(filters, nextCursor)} className="btn">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
