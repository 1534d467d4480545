// Entry point of the workflow bundle: every workflow type the worker serves is exported here.
// Only @temporalio/workflow, pure domain code and `import type` of activities may be imported below this folder.
export { roundTripWorkflow } from './diagnostics/round-trip.workflow';
export { noticeDeliveryWorkflow } from './notices/notice-delivery.workflow';
export { unitCampaignWorkflow } from './campaign/unit-campaign.workflow';
export { campaignCycleWorkflow } from './campaign/campaign-cycle.workflow';
