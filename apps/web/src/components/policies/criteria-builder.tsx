"use client";

import { FIELD_CATALOG, fieldDefinition, type FieldScope } from "@bulwark/policy";
import { emptyCondition, emptySection, type ConditionForm, type SectionForm } from "./form-model.ts";
import { errorsAt, fieldHint, OPERATOR_LABELS, operatorArity, SCOPE_LABELS } from "./describe.ts";
import { FieldErrors, type EditorError } from "./field-errors.tsx";

// The criteria form: sections (ORed) of conditions (ANDed) over the engine's field catalog. The
// operator list follows the chosen field's type and the value input follows the operator's arity.

const GROUPS: FieldScope[] = ["resource", "pod", "container", "image", "request"];
const FIELDS_BY_SCOPE = GROUPS.map((scope) => ({ scope, fields: FIELD_CATALOG.filter((f) => f.scope === scope) }));

function ValuesInput({ id, condition, onChange, invalid }: { id: string; condition: ConditionForm; onChange: (valuesText: string) => void; invalid: boolean }) {
  const def = fieldDefinition(condition.field);
  const arity = operatorArity(condition.operator);
  if (arity === "none") return <p className="py-2 text-xs text-muted">No value needed</p>;
  const choices = def?.type === "boolean" ? ["true", "false"] : def?.enum;
  if (arity === "one" && choices) {
    return (
      <select id={id} className="input" value={condition.valuesText} onChange={(e) => onChange(e.currentTarget.value)} aria-invalid={invalid || undefined}>
        {!choices.includes(condition.valuesText) ? <option value={condition.valuesText}>{condition.valuesText === "" ? "Choose…" : condition.valuesText}</option> : null}
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  }
  if (arity === "one") {
    const numeric = def?.type === "number" || def?.type === "number[]";
    return <input id={id} className="input" value={condition.valuesText} inputMode={numeric ? "decimal" : undefined} onChange={(e) => onChange(e.currentTarget.value)} aria-invalid={invalid || undefined} />;
  }
  return (
    <textarea
      id={id}
      className="input font-mono text-xs"
      rows={Math.min(6, Math.max(2, condition.valuesText.split("\n").length))}
      value={condition.valuesText}
      placeholder={choices ? choices.join("\n") : "one value per line"}
      onChange={(e) => onChange(e.currentTarget.value)}
      aria-invalid={invalid || undefined}
      aria-describedby={`${id}-hint`}
    />
  );
}

function ConditionRow({
  idBase,
  path,
  condition,
  errors,
  onChange,
  onRemove,
  canRemove,
  readOnly,
}: {
  idBase: string;
  path: string;
  condition: ConditionForm;
  errors: readonly EditorError[];
  onChange: (c: ConditionForm) => void;
  onRemove: () => void;
  canRemove: boolean;
  readOnly: boolean;
}) {
  const def = fieldDefinition(condition.field);
  const operators = def?.operators ?? [];
  const mine = errorsAt(errors, path);
  const hint = fieldHint(condition.field);
  return (
    <li className="rounded-md border border-border p-3" data-testid="criteria-condition">
      <fieldset disabled={readOnly} className="grid gap-3 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,2fr)_auto]">
        <div>
          <label htmlFor={`${idBase}-field`} className="label text-xs">
            Field
          </label>
          <select
            id={`${idBase}-field`}
            className="input"
            value={condition.field}
            aria-describedby={`${idBase}-field-hint`}
            aria-invalid={errorsAt(mine, `${path}.field`).length > 0 || undefined}
            onChange={(e) => {
              const field = e.currentTarget.value;
              const next = fieldDefinition(field);
              const operator = next && !next.operators.includes(condition.operator as never) ? (next.operators[0] ?? condition.operator) : condition.operator;
              const sameType = next?.type === def?.type;
              onChange({ ...condition, field, operator, valuesText: sameType ? condition.valuesText : "" });
            }}
          >
            {!def ? <option value={condition.field}>{condition.field} (unknown field)</option> : null}
            {FIELDS_BY_SCOPE.map((g) => (
              <optgroup key={g.scope} label={SCOPE_LABELS[g.scope]}>
                {g.fields.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.id}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${idBase}-op`} className="label text-xs">
            Operator
          </label>
          <select
            id={`${idBase}-op`}
            className="input"
            value={condition.operator}
            aria-invalid={errorsAt(mine, `${path}.operator`).length > 0 || undefined}
            onChange={(e) => {
              const operator = e.currentTarget.value;
              onChange({ ...condition, operator, valuesText: operatorArity(operator) === "none" ? "" : condition.valuesText });
            }}
          >
            {!operators.includes(condition.operator as never) ? <option value={condition.operator}>{condition.operator}</option> : null}
            {operators.map((op) => (
              <option key={op} value={op}>
                {OPERATOR_LABELS[op]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${idBase}-values`} className="label text-xs">
            {operatorArity(condition.operator) === "many" ? "Values (one per line)" : "Value"}
          </label>
          <ValuesInput id={`${idBase}-values`} condition={condition} onChange={(valuesText) => onChange({ ...condition, valuesText })} invalid={errorsAt(mine, `${path}.values`).length > 0} />
          {operatorArity(condition.operator) === "many" ? (
            <p id={`${idBase}-values-hint`} className="sr-only">
              Enter one value per line
            </p>
          ) : null}
        </div>
        <div className="flex items-end">
          {canRemove ? (
            <button type="button" className="btn btn-danger" onClick={onRemove} aria-label="Remove condition">
              Remove
            </button>
          ) : null}
        </div>
      </fieldset>
      <p id={`${idBase}-field-hint`} className="mt-2 text-xs text-muted">
        {hint ?? "This field is not in the catalog."}
      </p>
      <FieldErrors errors={mine} base={path} />
    </li>
  );
}

export function CriteriaBuilder({ sections, onChange, errors, readOnly = false }: { sections: SectionForm[]; onChange: (s: SectionForm[]) => void; errors: readonly EditorError[]; readOnly?: boolean }) {
  const setSection = (i: number, s: SectionForm) => onChange(sections.map((x, j) => (j === i ? s : x)));
  return (
    <div className="space-y-3" data-testid="criteria-builder">
      <p className="text-xs text-muted">
        Describe the <strong>violating</strong> state. A resource violates the policy when <strong>any</strong> section holds; a section holds when <strong>all</strong> its
        conditions do. Container and image conditions in one section must hold for the same container.
      </p>
      {sections.map((section, si) => {
        const path = `rule.sections[${si}]`;
        return (
          <fieldset key={section.uid} className="rounded-md border border-border bg-surface-2 p-3" data-testid="criteria-section">
            <legend className="px-1 text-sm font-medium">{si === 0 ? "Section 1" : `Or section ${si + 1}`}: all of</legend>
            <ol className="space-y-2">
              {section.conditions.map((c, ci) => (
                <ConditionRow
                  key={c.uid}
                  idBase={`s${si}-c${ci}`}
                  path={`${path}.conditions[${ci}]`}
                  condition={c}
                  errors={errors}
                  readOnly={readOnly}
                  canRemove={!readOnly && section.conditions.length > 1}
                  onChange={(next) => setSection(si, { ...section, conditions: section.conditions.map((x, j) => (j === ci ? next : x)) })}
                  onRemove={() => setSection(si, { ...section, conditions: section.conditions.filter((_, j) => j !== ci) })}
                />
              ))}
            </ol>
            <FieldErrors errors={errorsAt(errors, `${path}.conditions`, true)} base={path} />
            {!readOnly ? (
              <div className="mt-2 flex flex-wrap gap-2">
                <button type="button" className="btn" onClick={() => setSection(si, { ...section, conditions: [...section.conditions, emptyCondition()] })}>
                  Add condition (and)
                </button>
                {sections.length > 1 ? (
                  <button type="button" className="btn btn-danger" onClick={() => onChange(sections.filter((_, j) => j !== si))}>
                    Remove section
                  </button>
                ) : null}
              </div>
            ) : null}
          </fieldset>
        );
      })}
      <FieldErrors errors={errorsAt(errors, "rule.sections", true)} base="rule" />
      {!readOnly ? (
        <button type="button" className="btn" onClick={() => onChange([...sections, emptySection()])} data-testid="add-section">
          Add section (or)
        </button>
      ) : null}
    </div>
  );
}
