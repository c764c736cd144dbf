// URLs of the inventory lists: filters, sort and cursor live in the query string so a reload, a
// bookmark or a shared link shows the same page. Pure, so pages and tests share it.

export type ListParams = Record<string, string>;
export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The first value of each allowed key, trimmed; empty values dropped (they mean "any"). */
export function readParams(sp: RawSearchParams, keys: readonly string[]): ListParams {
  const out: ListParams = {};
  for (const k of keys) {
    const raw = sp[k];
    const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (v) out[k] = v.slice(0, 500);
  }
  return out;
}

/** `path?query` with `changes` applied (undefined removes a key). The cursor is dropped unless set. */
export function listHref(path: string, params: ListParams, changes: Record<string, string | undefined> = {}): string {
  const merged: Record<string, string | undefined> = { ...params, cursor: undefined, ...changes };
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export interface SortState {
  column: string;
  dir: "asc" | "desc";
}

/** The sort in effect: the URL's, or the list's default; dir defaults per column like the use cases. */
export function currentSort(params: ListParams, defaultColumn: string, ascByDefault: readonly string[]): SortState {
  const column = params.sort ?? defaultColumn;
  const dir = params.dir === "asc" || params.dir === "desc" ? params.dir : ascByDefault.includes(column) ? "asc" : "desc";
  return { column, dir };
}

/** Link of a column header: the same column flips direction, another column starts at its default. */
export function sortHref(path: string, params: ListParams, sort: SortState, column: string, ascByDefault: readonly string[]): string {
  const dir = sort.column === column ? (sort.dir === "asc" ? "desc" : "asc") : ascByDefault.includes(column) ? "asc" : "desc";
  return listHref(path, params, { sort: column, dir });
}

export interface FindingsScope {
  cluster?: string;
  namespace?: string;
  workload?: string;
  image?: string;
  severity?: string;
  fixable?: boolean;
}

/** The findings explorer filtered to a scope (CONTEXT.md URL contract: cluster and namespace by name, workload and image by id). */
export function findingsHref(scope: FindingsScope): string {
  const qs = new URLSearchParams();
  for (const k of ["cluster", "namespace", "workload", "image", "severity"] as const) {
    const v = scope[k];
    if (v) qs.set(k, v);
  }
  if (scope.fixable !== undefined) qs.set("fixable", String(scope.fixable));
  const s = qs.toString();
  return s ? `/findings?${s}` : "/findings";
}

/** True when any filter (not sort or paging) is set. */
export function hasFilters(params: ListParams): boolean {
  return Object.keys(params).some((k) => !["sort", "dir", "cursor", "limit"].includes(k));
}
