import { type SavedViewDto } from "@bulwark/core";
import Link from "next/link";
import { type FormAction } from "./triage-form.tsx";

// Saved views: pick one (a link to its query), save the current filters, delete your own (admins
// may also delete shared ones). A <details> disclosure keeps it keyboard-usable without scripts.

export function SavedViewsMenu({
  views,
  query,
  saveAction,
  deleteAction,
  canShare,
  isAdmin,
}: {
  views: SavedViewDto[];
  query: string;
  saveAction: FormAction;
  deleteAction: FormAction;
  canShare: boolean;
  isAdmin: boolean;
}) {
  return (
    <details className="card p-0" data-testid="saved-views">
      <summary className="cursor-pointer px-4 py-2 text-sm font-medium">Saved views ({views.length})</summary>
      <div className="space-y-3 border-t border-border p-4">
        {views.length ? (
          <ul className="space-y-1 text-sm">
            {views.map((v) => (
              <li key={v.id} className="flex items-center justify-between gap-2" data-testid="saved-view">
                <Link href={v.query ? `/findings?${v.query}` : "/findings"} className="text-accent hover:underline">
                  {v.name}
                </Link>
                <span className="flex items-center gap-2 text-xs text-muted">
                  {v.shared ? <span>{v.mine ? "shared by you" : `shared by ${v.owner ?? "someone"}`}</span> : <span>private</span>}
                  {v.mine || (v.shared && isAdmin) ? (
                    <form action={deleteAction}>
                      <input type="hidden" name="id" value={v.id} />
                      <input type="hidden" name="back" value={query} />
                      <button type="submit" className="text-danger hover:underline" aria-label={`Delete saved view ${v.name}`}>
                        Delete
                      </button>
                    </form>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-muted">No saved views yet.</p>
        )}
        <form action={saveAction} className="flex flex-wrap items-end gap-2" data-testid="save-view-form">
          <input type="hidden" name="query" value={query} />
          <div>
            <label htmlFor="view-name" className="label text-xs">
              Save current filters as
            </label>
            <input id="view-name" name="name" required maxLength={80} className="input py-1.5" />
          </div>
          {canShare ? (
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" name="shared" value="true" /> Share with the organization
            </label>
          ) : null}
          <button type="submit" className="btn">
            Save view
          </button>
        </form>
      </div>
    </details>
  );
}
