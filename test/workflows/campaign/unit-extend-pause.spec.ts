import {
  cancelSignal,
  extendSignal,
  extendUpdate,
  pauseSignal,
  resumeSignal,
  reviewUpdate,
  submitUpdate,
  unitStatusQuery,
  waiveUpdate,
} from '../../../workflows/campaign/messages';
import type { UnitWorkflowInput } from '../../../workflows/campaign/types';
import {
  eventsOf,
  expectRejection,
  maybeRecordHistory,
  noticesOf,
  useHarness,
  startThreeStageUnit,
  stepRowsOf,
  timerFiredTimes,
} from './harness';
import { DAY, isoOf, localText, toSecond } from '../../support/time';
import { eventually } from '../../support/eventually';

describe('unit campaign workflow: extension, waiver, pause, cancel, continue-as-new (time-skipping server, real PostgreSQL)', () => {
  const h = useHarness('campaign-extend');

  const startUnit = (extra: Partial<UnitWorkflowInput> = {}) => startThreeStageUnit(h, extra);

  it('an extension moves the due timer and recomputes reminders; a waiver releases gating; cancel ends the workflow', async () => {
    const { t0, unit, handle } = await startUnit();
    await h.advanceTo(t0 + 14 * DAY); // the 7-day reminder of the original due date (t0+20d) went out at t0+13d

    await expectRejection(
      handle.executeUpdate(extendUpdate, {
        args: [{ stepKey: 's1-study', newDueAt: isoOf(t0 + 2 * DAY), actor: 'office-1', reason: 'x' }],
      }),
      `newDueAt ${isoOf(t0 + 2 * DAY)} is not in the future`,
    );
    await expectRejection(
      handle.executeUpdate(extendUpdate, {
        args: [{ stepKey: 'nope', newDueAt: isoOf(t0 + 40 * DAY), actor: 'office-1', reason: 'x' }],
      }),
      'unknown step "nope"',
    );

    const newDue = t0 + 30 * DAY;
    const extended = await handle.executeUpdate(extendUpdate, {
      args: [{ stepKey: 's1-study', newDueAt: isoOf(newDue), actor: 'office-1', reason: '区里统一推迟' }],
    });
    expect(extended).toMatchObject({
      status: 'open',
      dueAt: isoOf(newDue),
      originalDueAt: isoOf(t0 + 20 * DAY),
      escalationRung: -1,
    });

    await h.advanceTo(t0 + 34 * DAY);
    const notices = await eventually(
      () => noticesOf(h.db, unit.id),
      (n) => n.length === 5,
    );
    expect(notices.map((n) => [n.kind, n.rung, n.occurrence, n.audience, n.scheduledFor, n.dueAt])).toEqual([
      ['reminder', 0, 0, 'unit', isoOf(t0 + 13 * DAY), isoOf(t0 + 20 * DAY)],
      ['reminder', 0, 1, 'unit', isoOf(newDue - 7 * DAY), isoOf(newDue)],
      ['reminder', 1, 1, 'unit', isoOf(newDue - 1 * DAY), isoOf(newDue)],
      ['due', 0, 1, 'unit', isoOf(newDue), isoOf(newDue)],
      ['escalation', 1, 1, 'parent', isoOf(newDue + 3 * DAY), isoOf(newDue)],
    ]);
    expect(notices[1].dedupeKey).toMatch(/:s1-study:reminder:g1:r0$/);
    // The old due date's timers never fired: the timer at t0+19d was replaced when the due date moved.
    expect((await timerFiredTimes(handle)).map(toSecond)).toEqual(
      [t0, t0 + 13 * DAY, newDue - 7 * DAY, newDue - DAY, newDue, newDue + 3 * DAY].map(isoOf),
    );

    // The waiver releases gating: stage 2 is entered and s2-report (window open since t0+10d) opens at that instant.
    const waived = await handle.executeUpdate(waiveUpdate, {
      args: [{ stepKey: 's1-study', actor: 'office-1', reason: '已在党委层面完成' }],
    });
    const status = await handle.query(unitStatusQuery);
    expect(status.currentStage).toBe('s2');
    expect(status.steps.find((s) => s.key === 's2-report')).toMatchObject({
      status: 'open',
      openedAt: waived.waivedAt,
    });

    // The cycle-wide extension arrives as a signal: applied when valid, recorded as not applied otherwise.
    await handle.signal(extendSignal, {
      stepKey: 's2-report',
      newDueAt: isoOf(t0 + 70 * DAY),
      actor: 'office-1',
      reason: '全区顺延',
    });
    await handle.signal(extendSignal, {
      stepKey: 's1-study',
      newDueAt: isoOf(t0 + 70 * DAY),
      actor: 'office-1',
      reason: '全区顺延',
    });
    await handle.signal(cancelSignal, { actor: 'office-1', reason: '活动调整' });
    const final = await handle.result();
    expect(final.state).toBe('cancelled');

    const events = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.at(-1)?.kind === 'cancelled',
    );
    expect(
      events
        .filter((e) => ['extended', 'extension_ignored', 'waived', 'cancelled'].includes(e.kind))
        .map((e) => [e.kind, e.step, e.actor, e.summary]),
    ).toEqual([
      [
        'extended',
        's1-study',
        'office-1',
        `Due date of 开展学习调研 extended from ${localText(t0 + 20 * DAY)} to ${localText(newDue)}: 区里统一推迟`,
      ],
      ['waived', 's1-study', 'office-1', '开展学习调研 waived: 已在党委层面完成'],
      [
        'extended',
        's2-report',
        'office-1',
        `Due date of 分析检查报告 extended from ${localText(t0 + 60 * DAY)} to ${localText(t0 + 70 * DAY)}: 全区顺延`,
      ],
      [
        'extension_ignored',
        's1-study',
        'office-1',
        'Cycle-wide extension not applied: step "s1-study" is already waived',
      ],
      ['cancelled', null, 'office-1', 'Cancelled: 活动调整; 3 unfinished step(s) cancelled'],
    ]);
    const rows = await stepRowsOf(h.db, unit.id);
    expect(rows['s1-study']).toMatchObject({
      status: 'waived',
      dueAt: isoOf(newDue),
      openedAt: isoOf(t0),
      waivedAt: waived.waivedAt,
      escalationLevel: 2,
      onBulletin: false,
    });
    expect(rows['s2-report']).toMatchObject({
      status: 'cancelled',
      dueAt: isoOf(t0 + 70 * DAY),
      openedAt: waived.waivedAt,
    });
    expect([rows['s3-plan'].status, rows['s3-survey'].status]).toEqual(['cancelled', 'cancelled']);
    expect(await h.db.query(`SELECT status, current_stage FROM cycle_unit WHERE unit_id = $1`, [unit.id])).toEqual([
      { status: 'cancelled', current_stage: 's2' },
    ]);
    await maybeRecordHistory(handle, 'unit-extend-waive-cancel');
  });

  it('pause suppresses every notice (skipped, not sent late), resume continues; state survives continue-as-new', async () => {
    const { t0, unit, handle } = await startUnit({ continueAsNewAfterEvents: 25 });
    await h.advanceTo(t0 + 12 * DAY);
    await handle.signal(pauseSignal, { actor: 'office-1', reason: '暑期暂停' });
    expect((await handle.query(unitStatusQuery)).state).toBe('paused');

    await h.advanceTo(t0 + 22 * DAY); // reminders at t0+13d, t0+19d and the due notice at t0+20d fall into the pause
    expect(await noticesOf(h.db, unit.id)).toEqual([]);
    await handle.signal(resumeSignal, { actor: 'office-1' });

    await h.advanceTo(t0 + 28 * DAY);
    const notices = await eventually(
      () => noticesOf(h.db, unit.id),
      (n) => n.length === 2,
    );
    expect(notices.map((n) => [n.kind, n.rung, n.audience, n.scheduledFor])).toEqual([
      ['escalation', 1, 'parent', isoOf(t0 + 23 * DAY)],
      ['escalation', 2, 'office', isoOf(t0 + 27 * DAY)],
    ]);
    const events = await eventsOf(h.db, unit.id);
    const skipped = events.find((e) => e.kind === 'notice_skipped')!;
    expect(skipped.summary).toBe(
      `Skipped 3 notices for 开展学习调研 (their time passed while the unit was paused): reminder of ${localText(t0 + 13 * DAY)}, reminder of ${localText(t0 + 19 * DAY)}, due of ${localText(t0 + 20 * DAY)}`,
    );
    expect(events.map((e) => e.kind).slice(0, 8)).toEqual([
      'started',
      'stage_entered',
      'step_opened',
      'paused',
      'resumed',
      'notice_skipped',
      'escalated',
      'escalated',
    ]);

    // Continue-as-new happened (tiny limit) and carried everything: the same per-unit seq, gating, escalation.
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    const status = await handle.query(unitStatusQuery);
    expect(status.steps.find((s) => s.key === 's1-study')).toMatchObject({
      status: 'open',
      escalationRung: 2,
      onBulletin: true,
    });
    await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'late-1', actor: 'secretary' }],
    });
    await handle.executeUpdate(reviewUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'late-1', decision: 'accept', actor: 'office-1' }],
    });
    expect((await handle.query(unitStatusQuery)).currentStage).toBe('s2');
    await handle.signal(cancelSignal, { actor: 'office-1' });
    expect((await handle.result()).state).toBe('cancelled');

    const all = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.at(-1)?.kind === 'cancelled',
    );
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const runs = await h.db.query(
      `SELECT count(DISTINCT workflow_run_id)::int AS n FROM unit_event WHERE unit_id = $1`,
      [unit.id],
    );
    expect(runs[0].n).toBeGreaterThan(1);
    expect((await noticesOf(h.db, unit.id)).length).toBe(2);
  });

  it('an acceptance during a pause moves the unit to the next stage at once; the new stage opens its steps at resume', async () => {
    const { t0, unit, handle } = await startUnit();
    await h.advanceTo(t0 + 11 * DAY);
    await handle.signal(pauseSignal, { actor: 'office-1' });
    await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'p-1', actor: 'secretary' }],
    });
    const accepted = await handle.executeUpdate(reviewUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'p-1', decision: 'accept', actor: 'office-1' }],
    });
    const paused = await handle.query(unitStatusQuery);
    expect([paused.state, paused.currentStage]).toEqual(['paused', 's2']);
    expect(paused.steps.find((s) => s.key === 's2-report')!.status).toBe('pending'); // its window opened at t0+10d

    await h.advanceTo(t0 + 15 * DAY);
    await handle.signal(resumeSignal, { actor: 'office-1' });
    const resumed = await eventually(
      () => handle.query(unitStatusQuery),
      (st) => st.steps.find((x) => x.key === 's2-report')!.status === 'open',
    );
    const events = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.some((x) => x.kind === 'step_opened' && x.step === 's2-report'),
    );
    const resumedAt = events.find((e) => e.kind === 'resumed')!.at;
    expect(resumed.steps.find((x) => x.key === 's2-report')!.openedAt).toBe(resumedAt);
    expect(events.map((e) => [e.kind, e.step, e.at])).toEqual([
      ['started', null, expect.any(String)],
      ['stage_entered', null, expect.any(String)],
      ['step_opened', 's1-study', isoOf(t0)],
      ['paused', null, expect.any(String)],
      ['submitted', 's1-study', expect.any(String)],
      ['accepted', 's1-study', accepted.acceptedAt],
      ['stage_left', null, accepted.acceptedAt],
      ['stage_entered', null, accepted.acceptedAt],
      ['resumed', null, resumedAt],
      ['step_opened', 's2-report', resumedAt],
    ]);
    expect(await h.db.query(`SELECT status, current_stage FROM cycle_unit WHERE unit_id = $1`, [unit.id])).toEqual([
      { status: 'running', current_stage: 's2' },
    ]);
    expect(await noticesOf(h.db, unit.id)).toEqual([]); // the 7-day reminder of t0+13d fell into the pause
    await handle.signal(cancelSignal, { actor: 'office-1' });
    expect((await handle.result()).state).toBe('cancelled');
  });
});
