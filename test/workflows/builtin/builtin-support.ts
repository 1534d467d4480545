import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CyclePlan } from '../../../libs/domain/src/plan/unit-plan';
import { parseTemplate, resolvePlan, type CampaignTemplate } from '../../../libs/domain/src/template';
import type { UnitKind } from '../../../libs/domain/src/units/unit-kind';
import { reviewUpdate, submitUpdate, type StepView } from '../../../workflows/campaign/messages';
import { repoRoot } from '../../support/paths';
import type { CampaignHarness } from '../campaign/harness';
import { DAY, HOUR, MINUTE, SECOND, SHANGHAI_OFFSET } from '../../support/time';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A built-in template exactly as the api loads it at start (templates/builtin/<key>.yaml through parseTemplate). */
export function builtinTemplate(key: string): CampaignTemplate {
  const result = parseTemplate(readFileSync(join(repoRoot, 'templates', 'builtin', `${key}.yaml`), 'utf8'));
  if (!result.ok) throw new Error(`${key}: ${JSON.stringify(result.problems)}`);
  return result.template;
}

export function builtinPlan(key: string, cycleStartsAt: string, unitKind: UnitKind, templateVersion = 1): CyclePlan {
  return resolvePlan(builtinTemplate(key), { cycleStartsAt, unitKind, templateVersion });
}

/** 00:00 of a local (Asia/Shanghai, UTC+8 all year) calendar day, as epoch ms. */
export const localStart = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET;

/**
 * 23:59:59 of a local day, rolled forward over Saturdays and Sundays — the templates' `rollDueToWorkingDay`, derived
 * here independently of the template code. Public holidays are not modelled: the cycles these tests run start next
 * year (≥ 2027), for which chinese-days 1.5.x has no holiday data, so only weekends count there (see
 * test/unit/templates/builtin-templates.spec.ts).
 */
export function localDue(y: number, m: number, d: number): number {
  let day = Date.UTC(y, m - 1, d);
  while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY;
  return day + 23 * HOUR + 59 * MINUTE + 59 * SECOND - SHANGHAI_OFFSET;
}

/**
 * The year after the test server's clock (which starts at the real current date): the cycles run "next year". The
 * year is Asia/Shanghai's, so a run on 31 December after 16:00 UTC (already 1 January there) still starts in the future.
 */
export async function nextYearOf(h: CampaignHarness): Promise<number> {
  return new Date((await h.env.currentTimeMs()) + SHANGHAI_OFFSET).getUTCFullYear() + 1;
}

/** Submit then accept one step through the unit workflow's updates; returns the accepted step. */
export async function submitAndAccept(
  handle: WorkflowHandle,
  stepKey: string,
  submissionId: string,
): Promise<StepView> {
  const submitted = await handle.executeUpdate(submitUpdate, {
    args: [{ stepKey, submissionId, actor: 'secretary-1' }],
  });
  if (submitted.status !== 'submitted') throw new Error(`${stepKey}: expected submitted, got ${submitted.status}`);
  return handle.executeUpdate(reviewUpdate, {
    args: [{ stepKey, submissionId, decision: 'accept', actor: 'office-1' }],
  });
}

/** Histories of every run of a workflow id, oldest first, following the continued-as-new chain backwards. */
export async function historiesOfAllRuns(
  h: CampaignHarness,
  workflowId: string,
): Promise<{ runId: string; events: HistoryEvent[] }[]> {
  const latestHandle = h.env.client.workflow.getHandle(workflowId);
  const latestRunId = (await latestHandle.describe()).runId;
  const chain = [{ runId: latestRunId, events: (await latestHandle.fetchHistory()).events! }];
  let first = chain[0].events[0].workflowExecutionStartedEventAttributes!;
  while (first.continuedExecutionRunId) {
    const runId = first.continuedExecutionRunId;
    const events = (await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events!;
    chain.unshift({ runId, events });
    first = events[0].workflowExecutionStartedEventAttributes!;
  }
  return chain;
}
