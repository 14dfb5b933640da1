import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes our workflows set, so an operator can find every
 * rollout that touched a device (`NetopsDevices = 'r1-a'`) from the Web UI or
 * `temporal workflow list --query`. The dev server is started with all of them.
 */
export const SA_KIND = defineSearchAttributeKey('NetopsKind', SearchAttributeType.KEYWORD);
export const SA_ROLLOUT_ID = defineSearchAttributeKey('NetopsRolloutId', SearchAttributeType.KEYWORD);
export const SA_TARGET_VERSION = defineSearchAttributeKey('NetopsTargetVersion', SearchAttributeType.KEYWORD);
export const SA_DEVICES = defineSearchAttributeKey('NetopsDevices', SearchAttributeType.KEYWORD_LIST);

/** name -> type as `temporal server start-dev --search-attribute` wants them. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; cliType: string }> = [
  { name: SA_KIND.name, cliType: 'Keyword' },
  { name: SA_ROLLOUT_ID.name, cliType: 'Keyword' },
  { name: SA_TARGET_VERSION.name, cliType: 'Keyword' },
  { name: SA_DEVICES.name, cliType: 'KeywordList' },
];
