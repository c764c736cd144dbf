import { type AttackCell, type AttackMatrixView, type TechniqueCount } from "@bulwark/core";
import Link from "next/link";
import { HEAT_LEVELS, heatLevel, subTechniqueHref, techniqueHref } from "./links.ts";

// The ATT&CK for Containers matrix: one column per tactic (a heading and a list of techniques), each
// technique a link to its open findings. Shading grows with the open count; the count, the level and
// the highest severity are written in every cell, so nothing depends on seeing the colour.

// The strongest shade stays light enough for body text to keep a 4.5:1 contrast in both themes.
const SHADE = ["transparent", "10%", "18%", "26%", "34%"];

function background(open: number): React.CSSProperties | undefined {
  const { level } = heatLevel(open);
  return level === 0 ? undefined : { background: `color-mix(in srgb, var(--danger) ${SHADE[level]}, transparent)` };
}

const findingsText = (n: number) => `${n.toLocaleString("en-US")} open ${n === 1 ? "finding" : "findings"}`;

function cellLabel(c: { id: string; name: string } & TechniqueCount): string {
  return `${c.id} ${c.name}: ${findingsText(c.open)}${c.maxSeverity ? `, highest severity ${c.maxSeverity.toLowerCase()}` : ""}`;
}

function Cell({ cell, cluster }: { cell: AttackCell; cluster: string | null }) {
  const heat = heatLevel(cell.open);
  return (
    <li className="rounded border border-border p-2 text-xs" style={background(cell.open)} data-testid={`technique-${cell.id}`} data-open={cell.open} data-heat={heat.level}>
      {/* The visible text is the accessible name (id, name, count, severity), so speech matches what is shown. */}
      <Link href={techniqueHref(cell, cluster)} title={cellLabel(cell)} className="block hover:underline">
        <span className="font-mono">{cell.id}</span>
        {cell.enterprise ? <span className="ml-1">(Enterprise)</span> : null}
        <span className="block font-medium text-fg">{cell.name}</span>
        <span className="block tabular-nums">
          {cell.open.toLocaleString("en-US")} open{cell.maxSeverity ? ` · ${cell.maxSeverity.toLowerCase()}` : ""}
        </span>
      </Link>
      {cell.subTechniques.length > 0 ? (
        <ul className="mt-1 space-y-0.5 border-t border-border pt-1" aria-label={`${cell.id} sub-techniques`}>
          {cell.subTechniques.map((s) => (
            <li key={s.id} data-testid={`technique-${s.id}`} data-open={s.open}>
              <Link href={subTechniqueHref(s.id, cluster)} title={cellLabel(s)} className="hover:underline">
                <span className="font-mono">{s.id.slice(cell.id.length)}</span> {s.name}: <span className="tabular-nums">{s.open.toLocaleString("en-US")}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function AttackMatrix({ matrix, cluster }: { matrix: AttackMatrixView; cluster: string | null }) {
  return (
    <div className="space-y-3" data-testid="attack-matrix">
      <div className="overflow-x-auto">
        <div className="grid min-w-[72rem] grid-cols-9 gap-2">
          {matrix.tactics.map((tactic) => (
            <section key={tactic.id} aria-labelledby={`tactic-${tactic.id}`} data-testid={`tactic-${tactic.id}`}>
              <h3 id={`tactic-${tactic.id}`} className="mb-2 text-sm font-semibold">
                {tactic.name} <span className="block font-mono text-xs font-normal text-muted">{tactic.id}</span>
              </h3>
              <ul className="space-y-2">
                {tactic.techniques.map((t) => (
                  <Cell key={t.id} cell={t} cluster={cluster} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      </div>
      <div className="text-xs text-muted" data-testid="attack-legend">
        <p>
          Shading by open findings:{" "}
          {HEAT_LEVELS.map((h, i) => (
            <span key={h.level}>
              <span className="inline-block h-3 w-3 rounded border border-border align-middle" style={background(h.min)} aria-hidden="true" /> {h.label} (
              {Number.isFinite(h.max) ? (h.min === h.max ? h.min : `${h.min}–${h.max}`) : `${h.min.toLocaleString("en-US")} or more`}){i < HEAT_LEVELS.length - 1 ? "; " : "."}
            </span>
          ))}
        </p>
        <p>
          Findings tagged with a sub-technique also count in their parent technique&apos;s cell (once, even with several sub-techniques). A technique appears under every tactic
          it serves, with the same count. &quot;Enterprise&quot; marks techniques outside ATT&amp;CK&apos;s Containers platform that Bulwark detects in containers. ATT&amp;CK v
          {matrix.version}.
        </p>
      </div>
      {matrix.other.length > 0 ? (
        <div className="text-sm" data-testid="attack-other">
          <h3 className="font-semibold">Other techniques</h3>
          <p className="text-xs text-muted">Technique ids on open findings that the matrix has no cell for (for example from custom Falco rule tags).</p>
          <ul className="mt-1 flex flex-wrap gap-2">
            {matrix.other.map((o) => (
              <li key={o.id}>
                <Link href={subTechniqueHref(o.id, cluster)} title={`${o.id}: ${findingsText(o.open)}`} className="text-accent underline">
                  {o.id}: {o.open.toLocaleString("en-US")} open
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
