import Link from "next/link";
import { type ListParams } from "./list-url.ts";

// A plain GET form: filters live in the URL, work without JavaScript and survive a reload. The sort
// is carried along in hidden fields; a new filter starts again at the first page.

export interface FilterField {
  name: string;
  label: string;
  type?: "text" | "number" | "select";
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  /** Suggestions for a text field (datalist). */
  suggestions?: readonly string[];
}

export function FiltersForm({ path, label, fields, params, testId }: { path: string; label: string; fields: readonly FilterField[]; params: ListParams; testId: string }) {
  const filtered = fields.some((f) => params[f.name]);
  return (
    <form method="get" action={path} role="search" aria-label={label} className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid={testId}>
      {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
      {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
      {fields.map((f) => {
        const id = `f-${f.name}`;
        return (
          <div key={f.name}>
            <label htmlFor={id} className="label">
              {f.label}
            </label>
            {f.type === "select" ? (
              <select id={id} name={f.name} defaultValue={params[f.name] ?? ""} className="input">
                <option value="">Any</option>
                {(f.options ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <>
                <input
                  id={id}
                  name={f.name}
                  type={f.type === "number" ? "number" : "search"}
                  defaultValue={params[f.name] ?? ""}
                  placeholder={f.placeholder ?? "any"}
                  maxLength={f.type === "number" ? undefined : 200}
                  min={f.type === "number" ? 0 : undefined}
                  max={f.type === "number" ? 100 : undefined}
                  list={f.suggestions ? `${id}-options` : undefined}
                  className="input"
                />
                {f.suggestions ? (
                  <datalist id={`${id}-options`}>
                    {f.suggestions.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                ) : null}
              </>
            )}
          </div>
        );
      })}
      <div className="flex items-end gap-2">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        {filtered ? (
          <Link href={path} className="btn">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
