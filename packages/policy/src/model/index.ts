// The policy model: definition schemas (zod), compile-once into CompiledPolicy, precise errors.
export {
  policyDefinitionSchema,
  ruleSchema,
  scopeSchema,
  exclusionSchema,
  labelSelectorSchema,
  conditionSchema,
  responseSchema,
  RESPONSE_ACTIONS,
  MAX_RESPONSE_RULES,
  OPERATORS,
  SEVERITIES,
  STAGES,
  ENFORCEMENT_MODES,
  THREAT_IDS,
  POLICY_ID,
  type Operator,
  type LabelSelector,
  type PolicyScope,
  type PolicyExclusion,
  type CriteriaCondition,
  type PolicyRule,
  type PolicyResponse,
  type ResponseActionName,
  type PolicyDefinition,
  type PolicyDefinitionInput,
} from "./schema.ts";
export { builtinDefinition } from "./builtin-definition.ts";
export { compilePolicy, compilePolicySet, compileBuiltin, type CompileOptions, type PolicySetOptions, type PolicySetResult } from "./compile.ts";
export type { CompiledPolicy, CompileResult, PolicyCompileError, RuleKind } from "./types.ts";
export { compilePolicyFile, type PolicyFileError, type PolicyFileResult } from "./policy-file.ts";
export { parseYamlSource, locate as locateInYaml, type SourcePosition, type YamlSource } from "./yaml-source.ts";
