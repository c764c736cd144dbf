import { fieldRows, typeLabel, type JsonSchema, type TypeLabel } from "./schema.ts";

export function TypeText({ label }: { label: TypeLabel }) {
  if (label.refs.length === 0) return <code className="text-xs">{label.text}</code>;
  // Split the label on the component names so each can link to its section.
  const pattern = new RegExp(`(${label.refs.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`);
  return (
    <code className="text-xs">
      {label.text.split(pattern).map((part, i) =>
        label.refs.includes(part) ? (
          <a key={i} href={`#schema-${part}`} className="text-accent underline">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </code>
  );
}

/** An object schema as a table of its fields; anything else as its type. */
export function SchemaView({ schema }: { schema: JsonSchema | undefined }) {
  const rows = fieldRows(schema);
  if (rows.length === 0) {
    return (
      <p className="text-sm">
        <TypeText label={typeLabel(schema)} />
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td className="font-mono text-xs whitespace-nowrap" style={{ paddingLeft: `${0.75 + r.depth}rem` }}>
                {r.name}
              </td>
              <td>
                <TypeText label={r.type} />
              </td>
              <td className="text-xs">{r.required ? "yes" : "no"}</td>
              <td className="text-xs">
                {r.description}
                {r.constraints.length > 0 ? <span className="block text-muted">{r.constraints.join("; ")}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
