import Link from "next/link";
import { listHref, type ListParams } from "./list-url.ts";

// Keyset paging: "First page" and "Next page". A cursor marks where the next page starts, so there is
// no page count (rows may appear between requests without pages shifting).

export function Pager({ path, params, nextCursor, shown, noun }: { path: string; params: ListParams; nextCursor: string | null; shown: number; noun: string }) {
  return (
    <nav aria-label={`Pages of ${noun}`} className="flex min-h-12 items-center gap-3 p-3 text-sm">
      {params.cursor ? (
        <Link href={listHref(path, params)} className="btn">
          First page
        </Link>
      ) : null}
      {nextCursor ? (
        <Link href={listHref(path, params, { cursor: nextCursor })} className="btn" rel="next" data-testid="next-page">
          Next page
        </Link>
      ) : (
        <span className="text-muted">{shown > 0 ? `End of the list.` : null}</span>
      )}
    </nav>
  );
}
