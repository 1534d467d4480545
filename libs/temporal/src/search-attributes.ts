import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The keyword search attributes every unit workflow start carries, so admins can filter by cycle and unit in the
 * Temporal UI (registered by scripts/lib/temporal-dev.js on the dev server, by docker-compose's setup on a cluster).
 */
export const CampaignCycleId = defineSearchAttributeKey('CampaignCycleId', SearchAttributeType.KEYWORD);
export const UnitCode = defineSearchAttributeKey('UnitCode', SearchAttributeType.KEYWORD);
export const UnitKind = defineSearchAttributeKey('UnitKind', SearchAttributeType.KEYWORD);
export const UNIT_SEARCH_ATTRIBUTES = [CampaignCycleId, UnitCode, UnitKind];
