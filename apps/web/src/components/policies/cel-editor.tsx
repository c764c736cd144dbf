"use client";

import { useRef } from "react";
import type { EditorError } from "./field-errors.tsx";

// A plain textarea with a line-number gutter: lines do not wrap, so gutter and text stay aligned, and
// each compile error (from the engine, debounced by the editor) jumps to its line and column on click.

const VARIABLES: [string, string][] = [
  ["object", "the resource exactly as given"],
  ["resource", "normalized metadata: kind, name, namespace, labels, annotations, podLabels, cluster"],
  ["podSpec", "the pod spec ({} for kinds without one)"],
  ["containers", "all containers: regular, init, ephemeral"],
  ["container", "the container being judged (the rule then runs per container)"],
  ["image", "the judged container's image and scan facts (skips unscanned images)"],
  ["request", "the admission request (the rule then runs at admission only)"],
  ["settings", "organization settings: trustedRegistries"],
];

export function CelEditor({
  expression,
  message,
  onExpression,
  onMessage,
  errors,
  pending,
  readOnly = false,
}: {
  expression: string;
  message: string;
  onExpression: (v: string) => void;
  onMessage: (v: string) => void;
  /** Errors at `rule.expression` (with line/column) and `rule.message`. */
  errors: readonly EditorError[];
  /** The text changed and has not been compiled yet. */
  pending: boolean;
  readOnly?: boolean;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = Math.max(1, expression.split("\n").length);
  const exprErrors = errors.filter((e) => e.path === "rule.expression");
  const messageErrors = errors.filter((e) => e.path === "rule.message");
  const errorLines = new Set(exprErrors.map((e) => e.line).filter((l): l is number => l !== undefined));

  function jumpTo(e: EditorError) {
    const el = area.current;
    if (!el) return;
    let offset = e.offset;
    if (offset === undefined && e.line !== undefined) {
      const lines = expression.split("\n");
      offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (e.column ?? 1) - 1);
    }
    el.focus();
    if (offset !== undefined) el.setSelectionRange(offset, Math.min(expression.length, offset + 1));
  }

  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="cel-expression" className="label">
          CEL expression <span className="font-normal text-muted">(true means a violation)</span>
        </label>
        <div className="flex overflow-hidden rounded-md border border-border bg-surface focus-within:outline-2 focus-within:outline-accent">
          <div ref={gutter} aria-hidden="true" className="overflow-hidden border-r border-border bg-surface-2 px-2 py-2 text-right font-mono text-xs leading-5 text-muted select-none">
            {Array.from({ length: lineCount }, (_, i) => (
              <div key={i} className={errorLines.has(i + 1) ? "font-bold text-danger" : undefined}>
                {i + 1}
              </div>
            ))}
          </div>
          <textarea
            ref={area}
            id="cel-expression"
            data-testid="cel-editor"
            className="min-h-40 w-full resize-y bg-transparent px-3 py-2 font-mono text-xs leading-5 text-fg outline-none"
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            rows={Math.min(20, Math.max(6, lineCount + 1))}
            value={expression}
            readOnly={readOnly}
            placeholder="containers.exists(c, c.?securityContext.?privileged.orValue(false))"
            aria-invalid={exprErrors.length > 0 || undefined}
            aria-describedby="cel-status"
            onChange={(e) => onExpression(e.currentTarget.value)}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
            }}
          />
        </div>
        <div id="cel-status" aria-live="polite" className="mt-1 text-xs">
          {exprErrors.length > 0 ? (
            <ul data-testid="cel-errors" className="space-y-1">
              {exprErrors.map((e, i) => (
                <li key={i} className="text-danger">
                  <button type="button" className="text-left hover:underline" onClick={() => jumpTo(e)}>
                    {e.line !== undefined ? <strong>{`Line ${e.line}, column ${e.column ?? 1}: `}</strong> : null}
                    {e.message}
                  </button>
                </li>
              ))}
            </ul>
          ) : pending ? (
            <p className="text-muted">Checking…</p>
          ) : expression.trim() !== "" ? (
            <p className="text-ok" data-testid="cel-ok">
              Compiles.
            </p>
          ) : null}
        </div>
      </div>
      <div>
        <label htmlFor="cel-message" className="label">
          Violation message <span className="font-normal text-muted">(optional; defaults to the policy name)</span>
        </label>
        <input id="cel-message" className="input" maxLength={1000} value={message} readOnly={readOnly} onChange={(e) => onMessage(e.currentTarget.value)} aria-invalid={messageErrors.length > 0 || undefined} />
        {messageErrors.map((e, i) => (
          <p key={i} className="mt-1 text-xs text-danger">
            {e.message}
          </p>
        ))}
      </div>
      <details className="text-xs text-muted">
        <summary className="cursor-pointer">Variables</summary>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          {VARIABLES.map(([v, d]) => (
            <div key={v} className="contents">
              <dt>
                <code className="font-mono text-fg">{v}</code>
              </dt>
              <dd>{d}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2">
          Read missing fields with <code className="font-mono">?.</code> and <code className="font-mono">orValue()</code>, e.g.{" "}
          <code className="font-mono">container.?securityContext.?runAsUser.orValue(-1) == 0</code>. See the policy documentation for the full language notes.
        </p>
      </details>
    </div>
  );
}
