import { z } from "zod";

// The policy definition as an admin writes it (dashboard form, YAML bundle, CLI --policies file).
// Objects are strict so a misspelt key ("enforcment") is an error at its path instead of a silently
// ignored setting. Metadata is optional here because a definition that only names a built-in inherits
// the built-in's metadata; compilePolicy requires name and severity for criteria and CEL rules.

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export const STAGES = ["BUILD", "DEPLOY", "RUNTIME"] as const;
export const ENFORCEMENT_MODES = ["AUDIT", "WARN", "ENFORCE"] as const;
export const THREAT_IDS = ["unauthorized-deployment", "insecure-configuration", "malware", "privilege-escalation", "unpatched-vulnerabilities"] as const;
export const OPERATORS = [
  "equals",
  "notEquals",
  "in",
  "notIn",
  "exists",
  "notExists",
  "contains",
  "notContains",
  "startsWith",
  "endsWith",
  "matches",
  "gt",
  "gte",
  "lt",
  "lte",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Policy ids are part of the API (bundles, exceptions, findings), so they are restricted like k8s names. */
export const POLICY_ID = /^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$/;
const MITRE_ID = /^T\d{4}(\.\d{3})?$/;
const MAX_EXPRESSION_LENGTH = 10_000;

/** Names and namespaces in scopes may end or start with `*` (e.g. `kube-*`); matched as globs. */
const namePattern = z.string().min(1).max(253);
const nameList = z.array(namePattern).min(1).max(500);

const labelSelectorRequirement = z
  .strictObject({
    key: z.string().min(1).max(317),
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
    values: z.array(z.string().max(63)).max(500).optional(),
  })
  .superRefine((req, ctx) => {
    // The same rule as Kubernetes' LabelSelectorRequirement validation.
    const needsValues = req.operator === "In" || req.operator === "NotIn";
    const count = req.values?.length ?? 0;
    if (needsValues && count === 0) ctx.addIssue({ code: "custom", path: ["values"], message: `must be non-empty when operator is ${req.operator}` });
    if (!needsValues && count > 0) ctx.addIssue({ code: "custom", path: ["values"], message: `must be empty when operator is ${req.operator}` });
  });

export const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string().min(1).max(317), z.string().max(63)).optional(),
  matchExpressions: z.array(labelSelectorRequirement).max(100).optional(),
});

const scopeFields = {
  clusters: nameList.optional(),
  namespaces: nameList.optional(),
  kinds: nameList.optional(),
  /** Matches the resource's labels or its pod template's labels. */
  labelSelector: labelSelectorSchema.optional(),
};

export const scopeSchema = z.strictObject(scopeFields);
/** One exclusion matches when every field it sets matches; any matching exclusion takes the resource out. */
export const exclusionSchema = z
  .strictObject({ ...scopeFields, names: nameList.optional() })
  .refine((e) => Object.values(e).some((v) => v !== undefined), { message: "an exclusion must set at least one of clusters, namespaces, kinds, names, labelSelector" });

const conditionValue = z.union([z.string().max(1024), z.number(), z.boolean()]);
export const conditionSchema = z.strictObject({
  field: z.string().min(1).max(200),
  operator: z.enum(OPERATORS),
  values: z.array(conditionValue).max(500).default([]),
});

export const ruleSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("builtin"), id: z.string().regex(POLICY_ID, "must be lower-kebab-case") }),
  z.strictObject({
    type: z.literal("criteria"),
    sections: z
      .array(z.strictObject({ conditions: z.array(conditionSchema).min(1).max(50) }))
      .min(1)
      .max(20),
  }),
  z.strictObject({
    type: z.literal("cel"),
    // Not trimmed: error positions must point into the text exactly as the admin wrote it.
    expression: z
      .string()
      .max(MAX_EXPRESSION_LENGTH)
      .refine((s) => s.trim().length > 0, { message: "must not be empty" }),
    /** Violation message; defaults to the policy's name. */
    message: z.string().min(1).max(1000).optional(),
  }),
]);

/** What a RUNTIME-stage ENFORCE policy may ask an enforcement point to do (see docs/enforcer.md). */
export const RESPONSE_ACTIONS = ["DELETE_POD", "SCALE_TO_ZERO"] as const;
export const MAX_RESPONSE_RULES = 100;

/**
 * A response: the action a running workload that fails the policy (or a pod that trips one of the Falco
 * rules listed) gets from the enforcement point in its cluster, when the policy's enforcement there is
 * ENFORCE. Rule names are matched exactly as Falco reports them (case and spaces included).
 */
export const responseSchema = z.strictObject({
  action: z.enum(RESPONSE_ACTIONS),
  runtimeRules: z
    .array(
      z
        .string()
        .max(300)
        .refine((s) => s.trim() !== "" && s.trim() === s, { message: "must be a Falco rule name without leading or trailing spaces" }),
    )
    .max(MAX_RESPONSE_RULES)
    .refine((xs) => new Set(xs).size === xs.length, { message: "must not repeat a value" })
    .optional(),
});

const uniqueList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1)
    .refine((xs) => new Set(xs).size === xs.length, { message: "must not repeat a value" });

export const policyDefinitionSchema = z.strictObject({
  id: z.string().regex(POLICY_ID, "must be lower-kebab-case: a-z, 0-9 and '-', at most 100 characters"),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  rationale: z.string().max(5000).optional(),
  remediation: z.string().max(5000).optional(),
  severity: z.enum(SEVERITIES).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  stages: uniqueList(z.enum(STAGES)).optional(),
  enforcement: z.enum(ENFORCEMENT_MODES).optional(),
  /**
   * Enforcement per cluster (by the name its connector and enforcement point report), for rolling a
   * policy out cluster by cluster: AUDIT → WARN → ENFORCE. A cluster not listed uses `enforcement`.
   */
  clusterEnforcement: z.record(z.string().min(1).max(253), z.enum(ENFORCEMENT_MODES)).optional(),
  mitre: z.array(z.string().regex(MITRE_ID, "must be a MITRE ATT&CK technique id such as T1610 or T1611.001")).max(50).optional(),
  threats: z.array(z.enum(THREAT_IDS)).max(THREAT_IDS.length).optional(),
  scope: scopeSchema.optional(),
  exclusions: z.array(exclusionSchema).max(200).optional(),
  /** A disabled policy compiles (so its errors show) but is never evaluated. */
  disabled: z.boolean().optional(),
  /** Omitted: the definition overrides the built-in with the same id. */
  rule: ruleSchema.optional(),
  /** Runtime response; only for policies whose stages include RUNTIME (checked by compilePolicy). */
  response: responseSchema.optional(),
});

export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type PolicyScope = z.infer<typeof scopeSchema>;
export type PolicyExclusion = z.infer<typeof exclusionSchema>;
export type CriteriaCondition = z.infer<typeof conditionSchema>;
export type PolicyRule = z.infer<typeof ruleSchema>;
export type PolicyResponse = z.infer<typeof responseSchema>;
export type ResponseActionName = (typeof RESPONSE_ACTIONS)[number];
/** A definition after validation (defaults applied). */
export type PolicyDefinition = z.infer<typeof policyDefinitionSchema>;
/** What callers may pass in (before defaults). */
export type PolicyDefinitionInput = z.input<typeof policyDefinitionSchema>;
