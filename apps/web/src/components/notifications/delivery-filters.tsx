import Link from "next/link";
import { DELIVERY_STATUS, type DeliveryStatus } from "./labels.ts";

// A plain GET form: the filters live in the URL, work without JavaScript and can be shared.

export interface DeliveryFilters {
  status?: DeliveryStatus | undefined;
  channel?: string | undefined;
}

const STATUSES = Object.keys(DELIVERY_STATUS) as DeliveryStatus[];

export function parseDeliveryFilters(sp: Record<string, string | string[] | undefined>): { filters: DeliveryFilters; cursor: string | undefined } {
  const one = (k: string) => {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s && s.trim() !== "" ? s.trim() : undefined;
  };
  const status = one("status");
  return { filters: { status: STATUSES.includes(status as DeliveryStatus) ? (status as DeliveryStatus) : undefined, channel: one("channel") }, cursor: one("cursor") };
}

export function deliveryFiltersToSearch(f: DeliveryFilters, cursor?: string | null): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.channel) p.set("channel", f.channel);
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function DeliveryFiltersForm({ filters, channels }: { filters: DeliveryFilters; channels: { id: string; name: string }[] }) {
  return (
    <form method="get" action="/settings/notifications/deliveries" className="card grid gap-3 sm:grid-cols-[repeat(2,minmax(0,16rem))_auto]" role="search" aria-label="Filter deliveries" data-testid="delivery-filters">
      <div>
        <label htmlFor="d-status" className="label">
          Status
        </label>
        <select id="d-status" name="status" defaultValue={filters.status ?? ""} className="input">
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {DELIVERY_STATUS[s].label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="d-channel" className="label">
          Channel
        </label>
        <select id="d-channel" name="channel" defaultValue={filters.channel ?? ""} className="input">
          <option value="">Any</option>
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        {filters.status || filters.channel ? (
          <Link href="/settings/notifications/deliveries" className="btn">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
