import type { LabelSelector } from "../model/schema.ts";

// Kubernetes label selector semantics (metav1.LabelSelector): matchLabels and every matchExpression
// must hold; NotIn and DoesNotExist hold for a missing key; an empty selector matches everything.

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

export function compileLabelSelector(selector: LabelSelector): LabelMatcher {
  const tests: LabelMatcher[] = [];
  const has = (labels: Readonly<Record<string, string>>, key: string) => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    tests.push((labels) => has(labels, key) && labels[key] === value);
  }
  for (const req of selector.matchExpressions ?? []) {
    const values = new Set(req.values ?? []);
    const key = req.key;
    switch (req.operator) {
      case "In":
        tests.push((labels) => has(labels, key) && values.has(labels[key]!));
        break;
      case "NotIn":
        tests.push((labels) => !has(labels, key) || !values.has(labels[key]!));
        break;
      case "Exists":
        tests.push((labels) => has(labels, key));
        break;
      case "DoesNotExist":
        tests.push((labels) => !has(labels, key));
        break;
    }
  }
  return (labels) => tests.every((t) => t(labels));
}
