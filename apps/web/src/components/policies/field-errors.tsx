// Validation errors shown next to the field they name. Paths are the engine's, relative to the policy
// definition (`rule.sections[0].conditions[1].values[0]`); next to a field only the part below it is shown.

export interface EditorError {
  path: string;
  message: string;
  line?: number;
  column?: number;
  offset?: number;
  /** "client": the engine in this browser; "server": the last save or preview. */
  source?: "client" | "server";
}

export function relativeTo(path: string, base: string): string {
  if (base === "" || path === base) return path === base ? "" : path;
  if (path.startsWith(`${base}.`)) return path.slice(base.length + 1);
  if (path.startsWith(`${base}[`)) return path.slice(base.length);
  return path;
}

export function FieldErrors({ errors, base = "", testId }: { errors: readonly EditorError[]; base?: string; testId?: string }) {
  if (errors.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-danger" data-testid={testId}>
      {errors.map((e, i) => {
        const rel = relativeTo(e.path, base);
        return (
          <li key={`${e.path}-${i}`}>
            {rel !== "" ? <code className="font-mono">{rel}</code> : null}
            {rel !== "" ? ": " : ""}
            {e.message}
          </li>
        );
      })}
    </ul>
  );
}
