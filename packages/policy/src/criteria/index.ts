// Criteria rules: the field catalog (data for forms and docs), operators, and the compiler.
export { FIELD_CATALOG, OPERATORS_BY_TYPE, fieldDefinition, type FieldDefinition, type FieldScope, type FieldType } from "./catalog.ts";
export { compileCriteria, type CriteriaCompileResult } from "./compile.ts";
