import type { Metadata } from "next";
import { SchemaView, TypeText } from "../../../../components/api-docs/schema-view.tsx";
import { refName, typeLabel, type JsonSchema } from "../../../../components/api-docs/schema.ts";
import { openApiDocument } from "../../../../server/openapi.ts";
import { requirePage } from "../../../../server/org-context.ts";

export const metadata: Metadata = { title: "API reference" };

// The OpenAPI document rendered on the server as plain HTML: no client script, no external assets.

const METHODS = ["get", "put", "post", "patch", "delete"] as const;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Media {
  schema?: JsonSchema;
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHOD_STYLE: Record<string, string> = {
  get: "bg-surface-2 text-fg",
  post: "bg-accent text-accent-fg",
  put: "bg-accent text-accent-fg",
  patch: "bg-accent text-accent-fg",
  delete: "bg-surface-2 text-danger",
};

function anchor(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-").replace(/-+$/, "");
}

type Resolve = (s: JsonSchema | undefined) => JsonSchema | undefined;

function OperationView({ method, path, op, resolve }: { method: string; path: string; op: Operation; resolve: Resolve }) {
  return (
    <article id={anchor(method, path)} className="card space-y-3" data-testid="api-operation">
      <h3 className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_STYLE[method] ?? ""}`}>{method}</span>
        <code className="font-mono text-sm">{path}</code>
        {op.summary ? <span className="text-sm text-muted">— {op.summary}</span> : null}
      </h3>
      {op.description ? <p className="text-sm whitespace-pre-line">{op.description.replace(/`/g, "")}</p> : null}
      <p className="text-xs text-muted">Auth: {op.security && op.security.length > 0 ? "Bearer token or dashboard session" : "none (public)"}</p>

      {op.parameters && op.parameters.length > 0 ? (
        <section>
          <h4 className="text-sm font-semibold">Parameters</h4>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
                <th scope="col">Required</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {op.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <td className="font-mono text-xs">{p.name}</td>
                  <td className="text-xs">{p.in}</td>
                  <td>
                    <TypeText label={typeLabel(p.schema)} />
                  </td>
                  <td className="text-xs">{p.required ? "yes" : "no"}</td>
                  <td className="text-xs">{p.description ?? p.schema?.description ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {op.requestBody?.content ? (
        <section>
          <h4 className="text-sm font-semibold">Request body {op.requestBody.required ? "(required)" : ""}</h4>
          {Object.entries(op.requestBody.content).map(([type, media]) => (
            <div key={type} className="mt-1 space-y-1">
              <p className="text-xs text-muted">
                {type} — gzip accepted — <TypeText label={typeLabel(media.schema)} />
              </p>
              <SchemaView schema={resolve(media.schema)} />
            </div>
          ))}
        </section>
      ) : null}

      <section>
        <h4 className="text-sm font-semibold">Responses</h4>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Description</th>
              <th scope="col">Body</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(op.responses ?? {}).map(([status, res]) => (
              <tr key={status}>
                <td className="font-mono text-xs">{status}</td>
                <td className="text-xs">{res.description}</td>
                <td className="text-xs">
                  {Object.entries(res.content ?? {}).map(([type, media]) => (
                    <span key={type} className="block">
                      <TypeText label={typeLabel(media.schema)} /> <span className="text-muted">({type})</span>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

export default async function ApiDocsPage() {
  await requirePage();
  const doc = openApiDocument() as unknown as Doc;
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.flatMap((m) => (item[m] ? [{ method: m, path, op: item[m] }] : [])));
  const tags = doc.tags ?? [];
  const schemas = Object.entries(doc.components?.schemas ?? {});
  // Request bodies are shown inline (one level of $ref resolved); responses link to the schema section.
  const resolve: Resolve = (s) => (s?.$ref ? (doc.components?.schemas?.[refName(s.$ref)] ?? s) : s);

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          {doc.info.title} reference
        </h1>
        <p className="mt-1 text-sm text-muted">
          OpenAPI {doc.openapi}, version {doc.info.version}. Machine-readable:{" "}
          <a href="/api/v1/openapi.json" className="text-accent underline">
            /api/v1/openapi.json
          </a>
        </p>
        {doc.info.description ? <p className="mt-2 text-sm">{doc.info.description.replace(/`/g, "")}</p> : null}
        <nav aria-label="Endpoints" className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {tags.map((t) => (
            <a key={t.name} href={`#tag-${t.name}`} className="text-accent underline">
              {t.name}
            </a>
          ))}
          <a href="#schemas" className="text-accent underline">
            Schemas
          </a>
        </nav>
      </div>

      {tags.map((t) => {
        const tagged = ops.filter((o) => o.op.tags?.includes(t.name));
        if (tagged.length === 0) return null;
        return (
          <section key={t.name} id={`tag-${t.name}`} className="space-y-3" aria-labelledby={`tag-${t.name}-title`}>
            <h2 id={`tag-${t.name}-title`} className="text-xl font-semibold">
              {t.name}
            </h2>
            {t.description ? <p className="text-sm text-muted">{t.description.replace(/`/g, "")}</p> : null}
            {tagged.map((o) => (
              <OperationView key={`${o.method} ${o.path}`} {...o} resolve={resolve} />
            ))}
          </section>
        );
      })}

      <section id="schemas" className="space-y-3" aria-labelledby="schemas-title">
        <h2 id="schemas-title" className="text-xl font-semibold">
          Schemas
        </h2>
        {schemas.map(([name, schema]) => (
          <article key={name} id={`schema-${name}`} className="card space-y-2">
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            {schema.description ? <p className="text-sm text-muted">{schema.description.replace(/`/g, "")}</p> : null}
            <SchemaView schema={schema} />
          </article>
        ))}
      </section>
    </section>
  );
}
