import Link from "next/link";
import { type ListParams, type SortState, sortHref } from "./list-url.ts";

// A sortable column header: a link (keyboard and no-JS friendly) with aria-sort on the active column.

export interface SortableColumn {
  path: string;
  params: ListParams;
  sort: SortState;
  ascByDefault: readonly string[];
}

export function SortHeader({ column, label, table, className }: { column: string; label: string; table: SortableColumn; className?: string }) {
  const active = table.sort.column === column;
  const ariaSort = active ? (table.sort.dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      <Link href={sortHref(table.path, table.params, table.sort, column, table.ascByDefault)} className="inline-flex items-center gap-1 hover:text-fg" data-testid={`sort-${column}`}>
        {label}
        <span aria-hidden="true" className="inline-block w-3">
          {active ? (table.sort.dir === "asc" ? "▲" : "▼") : ""}
        </span>
        {active ? null : <span className="sr-only">(sort)</span>}
      </Link>
    </th>
  );
}
