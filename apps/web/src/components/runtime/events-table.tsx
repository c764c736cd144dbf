import { type RuntimeEventItem } from "@bulwark/core";
import Link from "next/link";
import { formatDateTime } from "../format.ts";

// The raw events behind an aggregate, newest first. Each row's output_fields open in place
// (<details>: keyboard-usable, no script); older events are a keyset page further ("?events=cursor").

function Fields({ fields, tags }: { fields: unknown; tags: string[] }) {
  const json = JSON.stringify(fields ?? {}, null, 2);
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-accent">Fields{tags.length ? ` and tags (${tags.length})` : ""}</summary>
      {tags.length ? (
        <p className="mt-1 text-xs">
          Tags: <span className="font-mono">{tags.join(", ")}</span>
        </p>
      ) : null}
      <pre className="mt-1 max-h-80 overflow-auto rounded bg-surface-2 p-2 text-xs" data-testid="runtime-event-fields">
        {json}
      </pre>
    </details>
  );
}

export function EventsTable({ events, findingId, nextCursor, paged }: { events: RuntimeEventItem[]; findingId: string; nextCursor: string | null; paged: boolean }) {
  const base = `/runtime/${findingId}`;
  return (
    <div className="space-y-2">
      {events.length === 0 ? (
        <p className="text-sm text-muted" data-testid="runtime-events-none">
          {paged ? "No older events." : "No events are stored for this finding (baseline anomalies keep their evidence on the finding)."}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table" data-testid="runtime-events">
            <caption className="sr-only">Raw events of this runtime finding, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Priority</th>
                <th scope="col">Pod / container</th>
                <th scope="col">Process</th>
                <th scope="col">Output</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="runtime-event">
                  <th scope="row" className="text-left text-xs font-normal tracking-normal whitespace-nowrap text-fg normal-case">
                    <time dateTime={e.time.toISOString()}>{formatDateTime(e.time)}</time>
                    <span className="block text-muted">{e.source}</span>
                  </th>
                  <td className="text-xs">{e.priority}</td>
                  <td className="font-mono text-xs break-all">
                    {e.pod ?? "—"}
                    {e.container ? <span className="block text-muted">{e.container}</span> : null}
                  </td>
                  <td className="font-mono text-xs break-all">{e.process ?? "—"}</td>
                  <td className="max-w-xl text-xs">
                    <span className="font-mono break-words whitespace-pre-wrap">{e.output}</span>
                    <Fields fields={e.fields} tags={e.tags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {paged || nextCursor ? (
        <nav aria-label="Pages of events" className="flex gap-2">
          {paged ? (
            <Link href={`${base}#events`} className="btn">
              Newest events
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={`${base}?events=${encodeURIComponent(nextCursor)}#events`} className="btn" rel="next" data-testid="runtime-events-older">
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
