import { hasRole, isAppError, listNotificationChannels, listNotificationDeliveries } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { DeliveriesTable } from "../../../../../components/notifications/deliveries-table.tsx";
import { deliveryFiltersToSearch, DeliveryFiltersForm, parseDeliveryFilters } from "../../../../../components/notifications/delivery-filters.tsx";
import { NotificationTabs } from "../../../../../components/notifications/notification-tabs.tsx";
import { db } from "../../../../../server/db.ts";
import { requirePage } from "../../../../../server/org-context.ts";
import { retryDeliveryAction } from "../actions.ts";

export const metadata: Metadata = { title: "Notification deliveries" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx, current } = await requirePage();
  const isAdmin = hasRole(current.role, "ADMIN");
  const { filters, cursor } = parseDeliveryFilters(await searchParams);

  let page: Awaited<ReturnType<typeof listNotificationDeliveries>> | null = null;
  let problem: string | null = null;
  try {
    page = await listNotificationDeliveries(db(), ctx, { ...filters, ...(cursor ? { cursor } : {}) });
  } catch (err) {
    // A stale cursor or too low a role is the reader's situation, not a server fault.
    if (!isAppError(err) || err.status >= 500) throw err;
    problem = err.code === "FORBIDDEN" ? "The delivery log is for analysts and administrators." : err.fields?.some((f) => f.path === "cursor") ? "This page of results no longer exists." : err.message;
  }
  // Channel names for the filter: admins only (channels are an admin matter); others filter by status.
  const channels = isAdmin ? (await listNotificationChannels(db(), ctx)).map((c) => ({ id: c.id, name: c.name })) : [];

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div className="space-y-3">
        <div>
          <p className="text-sm">
            <Link href="/settings" className="text-accent underline">
              Settings
            </Link>
          </p>
          <h1 id="page-title" className="text-2xl font-semibold">
            Notification deliveries
          </h1>
          <p className="max-w-3xl text-sm text-muted">
            Every alert and test-send, newest first. Failed attempts are retried with exponential backoff; a delivery that fails every attempt is dead and
            can be sent again.
          </p>
        </div>
        <NotificationTabs current="/settings/notifications/deliveries" />
      </div>
      <DeliveryFiltersForm filters={filters} channels={channels} />
      {problem ? (
        <div className="card" role="alert" data-testid="deliveries-problem">
          <p className="text-sm text-danger">{problem}</p>
        </div>
      ) : (
        <div className="card overflow-x-auto p-0">
          <h2 className="sr-only">Deliveries</h2>
          {page && page.items.length > 0 ? (
            <DeliveriesTable rows={page.items} {...(isAdmin ? { retry: retryDeliveryAction } : {})} />
          ) : (
            <p className="p-4 text-sm text-muted" data-testid="deliveries-empty">
              {filters.status || filters.channel ? "No deliveries match these filters." : "Nothing sent yet."}
            </p>
          )}
          {page?.nextCursor ? (
            <p className="border-t border-border p-3 text-sm">
              <Link href={`/settings/notifications/deliveries${deliveryFiltersToSearch(filters, page.nextCursor)}`} className="text-accent underline" rel="next">
                Older deliveries
              </Link>
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
