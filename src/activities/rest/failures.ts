/** The REST activities' failures follow the one failure policy (../failures.ts); this path stays for the modules that import it from here. */
export { activityFailure, toActivityFailure, writeOutcomeUnknown } from '../failures';
/** @deprecated the old name, until rest/index.ts stops re-exporting it; use toActivityFailure. */
export { toActivityFailure as restFailure } from '../failures';
