import { tsToMs } from '@temporalio/common';
import { unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import type { unitCampaignWorkflow } from '../../../workflows/campaign/unit-campaign.workflow';
import { seedCycle, unitInput } from '../../support/campaign-factory';
import { eventsOf, maybeRecordHistory, noticesOf, useHarness, stepRowsOf } from '../campaign/harness';
import { builtinPlan, historiesOfAllRuns, localDue, localStart, nextYearOf, submitAndAccept } from './builtin-support';
import { DAY, HOUR, isoOf, toSecond } from '../../support/time';
import { eventually } from '../../support/eventually';

/** Low enough that 2½ years of one unit's campaign spans several runs; the production default is 2,000. */
const CONTINUE_AS_NEW_AFTER = 150;
/** Temporal's own suggestion threshold is far above; a run must stay well below the 4 Ki events we allow. */
const MAX_EVENTS_PER_RUN = 4_096;

/**
 * The built-in 2010–2012 campaign (seed 002, Changzhou) for one school, started next year: three steps (stages)
 * over six semesters — the implementation plan due 15 July, six semester summaries, three yearly evaluations,
 * recognition before 七一 of the third year. The unit workflow continues as new several times on the way; the
 * accepted steps, the per-unit event counter, the escalation state and the sent notices must survive every hand-over.
 */
describe('built-in template changzhou-2010-2012-excellence: 2½ years across continue-as-new (time-skipping server, real worker, real PostgreSQL)', () => {
  const h = useHarness('builtin-2010-2012');

  it('runs the whole campaign over several runs, each run’s history bounded, state and notices carried exactly once', async () => {
    const y = await nextYearOf(h);
    const plan = builtinPlan('changzhou-2010-2012-excellence', `${y}-06-21`, 'school');

    // Derived independently of the template code: the seed's dates moved to Y, weekends rolled to Monday.
    const S1 = localStart(y, 6, 21); // 6月下旬
    const S2 = localStart(y, 8, 21); // 8月下旬
    const S3 = localStart(y + 2, 7, 1); // 第三年7月
    const PLAN = localDue(y, 7, 15); // 实施方案 7月15日前
    const STEP1_END = localDue(y, 8, 20);
    const AE1 = localDue(y, 12, 31);
    const SS2 = localDue(y + 1, 1, 31);
    const SS3 = localDue(y + 1, 7, 15);
    const AE2 = localDue(y + 1, 12, 30);
    const SS4 = localDue(y + 2, 1, 31);
    const JUNE_END = localDue(y + 2, 6, 29); // 七一 of the third year
    const YEAR_END = localDue(y + 2, 12, 31);
    const stage1 = [
      ['implementation-plan', PLAN],
      ['organised-study', STEP1_END],
      ['semester-summary#1', STEP1_END],
    ] as const;
    const stage2 = [
      ['annual-evaluation#1', AE1],
      ['semester-summary#2', SS2],
      ['semester-summary#3', SS3],
      ['annual-evaluation#2', AE2],
      ['semester-summary#4', SS4],
      ['work-mechanisms', JUNE_END],
      ['recognition', JUNE_END],
      ['semester-summary#5', JUNE_END],
    ] as const;
    const stage3 = [
      ['select-models', YEAR_END],
      ['final-summary', YEAR_END],
      ['semester-summary#6', YEAR_END],
      ['annual-evaluation#3', YEAR_END],
    ] as const;
    expect(plan.stages.map((s) => [s.key, s.steps.map((x) => [x.key, x.opensAt, x.dueAt])])).toEqual([
      ['mobilise-and-study', stage1.map(([k, due]) => [k, isoOf(S1), isoOf(due)])],
      ['build-mechanisms', stage2.map(([k, due]) => [k, isoOf(S2), isoOf(due)])],
      ['models-and-summary', stage3.map(([k, due]) => [k, isoOf(S3), isoOf(due)])],
    ]);

    const cycle = await seedCycle(h.db, { plan, unitCount: 1, kind: 'school' });
    const unit = cycle.units[0];
    const handle = await h.env.client.workflow.start<typeof unitCampaignWorkflow>('unitCampaignWorkflow', {
      workflowId: unitWorkflowId(cycle.cycleId, unit.id),
      taskQueue: h.taskQueue,
      args: [unitInput(cycle, unit, plan, { continueAsNewAfterEvents: CONTINUE_AS_NEW_AFTER })],
    });
    const status = () => handle.query(unitStatusQuery);
    const accepted: Record<string, string> = {};
    const accept = async (key: string) => {
      accepted[key] = (await submitAndAccept(handle, key, `${key}-1`)).acceptedAt!;
    };

    // ---- step 1: the implementation plan after both reminders, the rest early ----------------------------------
    await h.advanceTo(PLAN - 12 * HOUR);
    await accept('implementation-plan');
    await h.advanceTo(localStart(y, 8, 1));
    await accept('organised-study');
    expect((await status()).currentStage).toBe('mobilise-and-study'); // the semester summary still gates step 1
    await accept('semester-summary#1');
    const inStep2 = await status();
    expect(inStep2.currentStage).toBe('build-mechanisms');
    expect(inStep2.steps.filter((s) => s.stageKey === 'build-mechanisms').map((s) => s.status)).toEqual(
      Array(8).fill('pending'),
    ); // window opens 8月下旬

    // ---- step 2: every deadline met the day after its 7-day reminder, except semester 4 (8 days late) ---------
    for (const [key, due] of stage2) {
      if (key === 'semester-summary#4') {
        await h.advanceTo(due + 8 * DAY);
        expect((await status()).steps.find((s) => s.key === key)).toMatchObject({
          status: 'open',
          escalationRung: 2,
          onBulletin: true,
        });
      } else if (!accepted[key]) {
        await h.advanceTo(due - 6 * DAY);
      }
      if (!accepted[key]) await accept(key);
    }
    const inStep3 = await status();
    expect(inStep3.currentStage).toBe('models-and-summary');

    // ---- step 3: opens in July of the third year; accepted after the 7-day reminder; the campaign completes -----
    await h.advanceTo(YEAR_END - 6 * DAY);
    for (const [key] of stage3) await accept(key);
    const final = await handle.result();
    expect(final.state).toBe('completed');

    // ---- the run chain: continued as new at least once, every run's history bounded --------------------------
    const runs = await historiesOfAllRuns(h, handle.workflowId);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0].runId).toBe(handle.firstExecutionRunId);
    for (const [i, run] of runs.entries()) {
      expect(run.events.length).toBeLessThan(MAX_EVENTS_PER_RUN);
      const last = run.events.at(-1)!;
      if (i < runs.length - 1)
        expect(last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(runs[i + 1].runId);
      else expect(last.workflowExecutionCompletedEventAttributes).toBeTruthy();
    }
    // The server's timers, over all runs, fired exactly at the windows and notice instants (to the second), once each.
    const fired = runs.flatMap((r) =>
      r.events.filter((e) => e.timerFiredEventAttributes).map((e) => toSecond(isoOf(tsToMs(e.eventTime!)))),
    );
    expect(fired).toEqual(
      [
        S1,
        PLAN - 7 * DAY,
        PLAN - DAY,
        S2,
        AE1 - 7 * DAY,
        SS2 - 7 * DAY,
        SS3 - 7 * DAY,
        AE2 - 7 * DAY,
        SS4 - 7 * DAY,
        SS4 - DAY,
        SS4,
        SS4 + 3 * DAY,
        SS4 + 7 * DAY,
        JUNE_END - 7 * DAY,
        S3,
        YEAR_END - 7 * DAY,
      ].map((ms) => toSecond(isoOf(ms))),
    );

    // ---- notices: each exactly once although decided in different runs ----------------------------------------
    const notices = (await noticesOf(h.db, unit.id)).sort(
      (a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.step.localeCompare(b.step),
    );
    const reminder7 = (key: string, due: number) => [key, 'reminder', 0, 'unit', isoOf(due - 7 * DAY)];
    expect(notices.map((n) => [n.step, n.kind, n.rung, n.audience, n.scheduledFor])).toEqual([
      reminder7('implementation-plan', PLAN),
      ['implementation-plan', 'reminder', 1, 'unit', isoOf(PLAN - DAY)],
      reminder7('annual-evaluation#1', AE1),
      reminder7('semester-summary#2', SS2),
      reminder7('semester-summary#3', SS3),
      reminder7('annual-evaluation#2', AE2),
      reminder7('semester-summary#4', SS4),
      ['semester-summary#4', 'reminder', 1, 'unit', isoOf(SS4 - DAY)],
      ['semester-summary#4', 'due', 0, 'unit', isoOf(SS4)],
      ['semester-summary#4', 'escalation', 1, 'parent', isoOf(SS4 + 3 * DAY)],
      ['semester-summary#4', 'escalation', 2, 'office', isoOf(SS4 + 7 * DAY)],
      reminder7('recognition', JUNE_END),
      reminder7('semester-summary#5', JUNE_END),
      reminder7('work-mechanisms', JUNE_END),
      reminder7('annual-evaluation#3', YEAR_END),
      reminder7('final-summary', YEAR_END),
      reminder7('select-models', YEAR_END),
      reminder7('semester-summary#6', YEAR_END),
    ]);
    expect(new Set(notices.map((n) => n.dedupeKey)).size).toBe(18);
    const [{ n: noticeRows }] = await h.db.query(`SELECT count(*)::int AS n FROM notice WHERE cycle_id = $1`, [
      cycle.cycleId,
    ]);
    expect(noticeRows).toBe(18);

    // ---- the history: one gap-free seq across the runs, every notice recorded once ---------------------------
    const events = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.at(-1)?.kind === 'completed',
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(final.seq).toBe(events.length);
    expect(events.filter((e) => ['reminder_sent', 'due_notice_sent', 'escalated'].includes(e.kind)).length).toBe(18);
    expect(events.filter((e) => e.kind === 'notice_skipped')).toEqual([]);
    expect(events.filter((e) => e.kind === 'started').length).toBe(1);
    expect(
      events
        .filter((e) => e.kind === 'accepted')
        .map((e) => e.step)
        .sort(),
    ).toEqual(Object.keys(accepted).sort());
    const runIds = await h.db.query(`SELECT DISTINCT workflow_run_id AS id FROM unit_event WHERE unit_id = $1`, [
      unit.id,
    ]);
    expect(runIds.map((r) => r.id).sort()).toEqual(runs.map((r) => r.runId).sort()); // every run wrote its own part
    expect(events.find((e) => e.kind === 'escalated' && e.at === isoOf(SS4 + 7 * DAY))!.summary).toContain(
      'unit put on the bulletin (通报)',
    );

    // ---- the read model: every step accepted, opened when its window opened (or the unit reached it) ---------
    const row = (due: number, openedAt: number, key: string, escalationLevel = 0, onBulletin = false) => ({
      status: 'accepted',
      dueAt: isoOf(due),
      openedAt: isoOf(openedAt),
      acceptedAt: accepted[key],
      waivedAt: null,
      escalationLevel,
      onBulletin,
    });
    const rows = await stepRowsOf(h.db, unit.id);
    expect(rows).toEqual({
      ...Object.fromEntries(stage1.map(([k, due]) => [k, row(due, S1, k)])),
      ...Object.fromEntries(
        stage2.map(([k, due]) => [k, k === 'semester-summary#4' ? row(due, S2, k, 3, true) : row(due, S2, k)]),
      ),
      ...Object.fromEntries(stage3.map(([k, due]) => [k, row(due, S3, k)])),
    });
    expect(final.steps.every((s) => s.status === 'accepted')).toBe(true);
    const [cycleUnit] = await h.db.query(
      `SELECT status, current_stage, completed_at FROM cycle_unit WHERE unit_id = $1`,
      [unit.id],
    );
    expect(cycleUnit).toEqual({
      status: 'completed',
      current_stage: null,
      completed_at: new Date(accepted['annual-evaluation#3']),
    });

    for (const [i, run] of runs.entries())
      await maybeRecordHistory(
        h.env.client.workflow.getHandle(handle.workflowId, run.runId),
        `builtin-campaign-2010-2012.run-${i + 1}`,
      );
  });
});
