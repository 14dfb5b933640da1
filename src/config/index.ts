export { compareWithRunning, inDesiredState, normaliseLine, parseConfigTree, type ConfigNode, type DesiredLineState } from './desired-state';
export { configDiff, formatConfigDiff, MAX_DIFF_LINES, type ConfigDiff } from './diff';
export { dedupeLines, linesFor, type LineSets } from './line-sets';
export { compileTemplate, renderForDevice, toConfigLines, TemplateError, type CompiledTemplate } from './template';
export { templateVariables, TEMPLATE_ROOTS } from './variables';
