/** The inventory module's public face: load, validate, select. */
export { loadInventory, type InventoryFormat, type LoadOptions } from './load';
export { InventoryError, formatProblems, formatProblem, type Problem, type Spot } from './problems';
export { selectDevices, describeSelection, type Selection } from './select';
export { SelectionError, FilterSyntaxError } from './selection-error';
export { parseFilter, FILTER_FIELDS, type FilterExpr, type FilterField } from './filter-parser';
export { matchesFilter } from './filter-eval';
export { formatSecretRef } from './secret-ref';
export * from './types';
export { resolveSecret, SecretResolutionError } from './secrets';
