import { WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewUpdate, submitUpdate, unitStatusQuery, waiveUpdate } from '../../../workflows/campaign/messages';
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

/** A unit that is late in stage 1: reminders, due notice, escalation up the ladder; gating holds it until acceptance. */
describe('unit campaign workflow: late unit, escalation and gating (time-skipping server, real PostgreSQL)', () => {
  const h = useHarness('campaign-late');

  it('sends reminders, the due notice and escalations at exact times, holds the unit in stage 1 until acceptance, then completes', async () => {
    const { t0, cycle, unit, handle } = await startThreeStageUnit(h);
    const due = t0 + 20 * DAY;

    // Eight days past the due date, nothing submitted.
    await h.advanceTo(due + 8 * DAY);
    const notices = await eventually(
      () => noticesOf(h.db, unit.id),
      (n) => n.length === 5,
    );
    const key = (step: string, kind: string, rung: number, g = 0) =>
      `${cycle.cycleId}:${unit.id}:${step}:${kind}:g${g}:r${rung}`;
    expect(notices).toEqual([
      {
        step: 's1-study',
        kind: 'reminder',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(due - 7 * DAY),
        dueAt: isoOf(due),
        dedupeKey: key('s1-study', 'reminder', 0),
      },
      {
        step: 's1-study',
        kind: 'reminder',
        rung: 1,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(due - 1 * DAY),
        dueAt: isoOf(due),
        dedupeKey: key('s1-study', 'reminder', 1),
      },
      {
        step: 's1-study',
        kind: 'due',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(due),
        dueAt: isoOf(due),
        dedupeKey: key('s1-study', 'due', 0),
      },
      {
        step: 's1-study',
        kind: 'escalation',
        rung: 1,
        audience: 'parent',
        occurrence: 0,
        scheduledFor: isoOf(due + 3 * DAY),
        dueAt: isoOf(due),
        dedupeKey: key('s1-study', 'escalation', 1),
      },
      {
        step: 's1-study',
        kind: 'escalation',
        rung: 2,
        audience: 'office',
        occurrence: 0,
        scheduledFor: isoOf(due + 7 * DAY),
        dueAt: isoOf(due),
        dedupeKey: key('s1-study', 'escalation', 2),
      },
    ]);
    // The server's own timers fired at those instants (to the second: the server's clock also runs in real time).
    const fired = (await timerFiredTimes(handle)).map(toSecond);
    expect(fired).toEqual([
      isoOf(t0),
      isoOf(due - 7 * DAY),
      isoOf(due - 1 * DAY),
      isoOf(due),
      isoOf(due + 3 * DAY),
      isoOf(due + 7 * DAY),
    ]);

    // Gating: s2-report's window opened at t0+10d, but the unit is still in stage 1.
    const held = await handle.query(unitStatusQuery);
    expect(held.currentStage).toBe('s1');
    expect(held.steps.find((s) => s.key === 's2-report')!.status).toBe('pending');
    expect(held.steps.find((s) => s.key === 's1-study')).toMatchObject({
      status: 'open',
      escalationRung: 2,
      onBulletin: true,
    });
    const rows = await eventually(
      () => stepRowsOf(h.db, unit.id),
      (r) => r['s1-study']?.onBulletin === true,
    );
    expect(rows['s1-study']).toMatchObject({
      status: 'open',
      openedAt: isoOf(t0),
      escalationLevel: 3,
      onBulletin: true,
    });
    expect(rows['s2-report']).toMatchObject({ status: 'pending', openedAt: null });
    const reminderEvent = (await eventsOf(h.db, unit.id)).find((e) => e.kind === 'reminder_sent')!;
    expect(reminderEvent.summary).toBe(`Reminder sent: 开展学习调研 due ${localText(due)}, 7 days left`);
    expect(reminderEvent.at).toBe(isoOf(due - 7 * DAY));

    // Validators answer at once, with the reason, and change nothing.
    await expect(
      handle.executeUpdate(submitUpdate, { args: [{ stepKey: 'no-such-step', submissionId: 'x', actor: 'u' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expectRejection(
      handle.executeUpdate(submitUpdate, { args: [{ stepKey: 'no-such-step', submissionId: 'x', actor: 'u' }] }),
      'unknown step "no-such-step"',
    );
    await expectRejection(
      handle.executeUpdate(submitUpdate, { args: [{ stepKey: 's2-report', submissionId: 'x', actor: 'u' }] }),
      'step "s2-report" is not open yet',
    );
    await expectRejection(
      handle.executeUpdate(reviewUpdate, {
        args: [{ stepKey: 's1-study', submissionId: 'x', decision: 'accept', actor: 'office' }],
      }),
      'has no submission awaiting review',
    );

    // Submit, return with a comment, resubmit, review the wrong submission id (rejected), accept.
    const submitted = await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'sub-1', actor: 'secretary-1' }],
    });
    expect(submitted.status).toBe('submitted');
    await expectRejection(
      handle.executeUpdate(submitUpdate, {
        args: [{ stepKey: 's1-study', submissionId: 'sub-1b', actor: 'secretary-1' }],
      }),
      'already submitted and awaiting review (submission sub-1)',
    );
    const returned = await handle.executeUpdate(reviewUpdate, {
      args: [
        {
          stepKey: 's1-study',
          submissionId: 'sub-1',
          decision: 'return',
          comment: '调研报告缺少群众意见',
          actor: 'office-1',
        },
      ],
    });
    expect(returned.status).toBe('returned');
    await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'sub-2', actor: 'secretary-1' }],
    });
    await expectRejection(
      handle.executeUpdate(reviewUpdate, {
        args: [{ stepKey: 's1-study', submissionId: 'sub-1', decision: 'accept', actor: 'office-1' }],
      }),
      'submission id mismatch: the latest submission of step "s1-study" is sub-2, not sub-1',
    );
    const accepted = await handle.executeUpdate(reviewUpdate, {
      args: [{ stepKey: 's1-study', submissionId: 'sub-2', decision: 'accept', actor: 'office-1' }],
    });
    expect(accepted.status).toBe('accepted');
    const acceptedAt = Date.parse(accepted.acceptedAt!);

    // The unit leaves stage 1 at the acceptance instant; s2-report (window long open) opens at that instant.
    const afterAccept = await handle.query(unitStatusQuery);
    expect(afterAccept.currentStage).toBe('s2');
    expect(afterAccept.steps.find((s) => s.key === 's2-report')).toMatchObject({
      status: 'open',
      openedAt: isoOf(acceptedAt),
    });

    // Stage 2 accepted quickly; stage 3 steps open at their window (t0+30d), later than the stage entry.
    await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 's2-report', submissionId: 'sub-3', actor: 'secretary-1' }],
    });
    const s2Accepted = await handle.executeUpdate(reviewUpdate, {
      args: [{ stepKey: 's2-report', submissionId: 'sub-3', decision: 'accept', actor: 'office-1' }],
    });
    expect(Date.parse(s2Accepted.acceptedAt!)).toBeLessThan(t0 + 30 * DAY);
    expect((await handle.query(unitStatusQuery)).currentStage).toBe('s3');
    await h.advanceTo(t0 + 31 * DAY);
    const s3 = await handle.query(unitStatusQuery);
    expect(s3.steps.filter((s) => s.stageKey === 's3').map((s) => [s.key, s.status, s.openedAt])).toEqual([
      ['s3-plan', 'open', isoOf(t0 + 30 * DAY)],
      ['s3-survey', 'open', isoOf(t0 + 30 * DAY)],
    ]);

    // Waiving the last required step leaves stage 3; the optional survey settles at its due date and the workflow ends.
    await handle.executeUpdate(waiveUpdate, {
      args: [{ stepKey: 's3-plan', actor: 'office-1', reason: '并入年度总结' }],
    });
    const final = await handle.result();
    expect(final.state).toBe('completed');

    const events = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.at(-1)?.kind === 'completed',
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => [e.kind, e.step])).toEqual([
      ['started', null],
      ['stage_entered', null],
      ['step_opened', 's1-study'],
      ['reminder_sent', 's1-study'],
      ['reminder_sent', 's1-study'],
      ['due_notice_sent', 's1-study'],
      ['escalated', 's1-study'],
      ['escalated', 's1-study'],
      ['submitted', 's1-study'],
      ['returned', 's1-study'],
      ['submitted', 's1-study'],
      ['accepted', 's1-study'],
      ['stage_left', null],
      ['stage_entered', null],
      ['step_opened', 's2-report'],
      ['submitted', 's2-report'],
      ['accepted', 's2-report'],
      ['stage_left', null],
      ['stage_entered', null],
      ['step_opened', 's3-plan'],
      ['step_opened', 's3-survey'],
      ['waived', 's3-plan'],
      ['stage_left', null],
      ['completed', null],
    ]);
    expect(events.find((e) => e.kind === 'returned')).toMatchObject({
      actor: 'office-1',
      summary: 'Submission sub-1 for 开展学习调研 returned for rework: 调研报告缺少群众意见',
    });
    expect(events.find((e) => e.kind === 'escalated' && e.at === isoOf(due + 7 * DAY))!.summary).toBe(
      `Escalated to the office: 开展学习调研 due ${localText(due)}, 7 days overdue; unit put on the bulletin (通报)`,
    );
    // Completion is the timer of the survey's due date (to the second: the workflow reads the server's running clock).
    expect(toSecond(events.at(-1)!.at)).toBe(isoOf(t0 + 80 * DAY));

    expect(await stepRowsOf(h.db, unit.id)).toEqual({
      's1-study': {
        status: 'accepted',
        dueAt: isoOf(due),
        openedAt: isoOf(t0),
        acceptedAt: isoOf(acceptedAt),
        waivedAt: null,
        escalationLevel: 3,
        onBulletin: true,
      },
      's2-report': {
        status: 'accepted',
        dueAt: isoOf(t0 + 60 * DAY),
        openedAt: isoOf(acceptedAt),
        acceptedAt: s2Accepted.acceptedAt,
        waivedAt: null,
        escalationLevel: 0,
        onBulletin: false,
      },
      's3-plan': {
        status: 'waived',
        dueAt: isoOf(t0 + 90 * DAY),
        openedAt: isoOf(t0 + 30 * DAY),
        acceptedAt: null,
        waivedAt: expect.any(String),
        escalationLevel: 0,
        onBulletin: false,
      },
      's3-survey': {
        status: 'open',
        dueAt: isoOf(t0 + 80 * DAY),
        openedAt: isoOf(t0 + 30 * DAY),
        acceptedAt: null,
        waivedAt: null,
        escalationLevel: 0,
        onBulletin: false,
      },
    });
    const [cycleUnit] = await h.db.query(
      `SELECT status, current_stage, started_at, completed_at FROM cycle_unit WHERE unit_id = $1`,
      [unit.id],
    );
    expect(cycleUnit).toMatchObject({ status: 'completed', current_stage: null });
    expect(toSecond(cycleUnit.completed_at.toISOString())).toBe(isoOf(t0 + 80 * DAY));
    // Each notice's deliveries were started by the workflow on the channel queues and finished before completion.
    const deliveries = await h.db.query(
      `SELECT n.kind, n.audience, d.channel, d.status, (d.recipient_unit_id = u.id) AS to_unit, (d.recipient_unit_id = u.parent_id) AS to_parent
         FROM notice n JOIN notice_delivery d ON d.notice_id = n.id JOIN unit u ON u.id = n.unit_id
        WHERE n.unit_id = $1 ORDER BY n.scheduled_for, d.channel`,
      [unit.id],
    );
    // The office rung: no office unit and no office addresses in this test — the office's own inbox gets it, and it is
    // recorded as a dead letter ("no recipient for office of …") instead of vanishing (issue 13).
    expect(deliveries).toEqual([
      { kind: 'reminder', audience: 'unit', channel: 'inbox', status: 'sent', to_unit: true, to_parent: false },
      { kind: 'reminder', audience: 'unit', channel: 'inbox', status: 'sent', to_unit: true, to_parent: false },
      { kind: 'due', audience: 'unit', channel: 'inbox', status: 'sent', to_unit: true, to_parent: false },
      { kind: 'escalation', audience: 'parent', channel: 'inbox', status: 'sent', to_unit: false, to_parent: true },
      { kind: 'escalation', audience: 'office', channel: 'inbox', status: 'sent', to_unit: null, to_parent: null },
      { kind: 'escalation', audience: 'office', channel: 'none', status: 'dead', to_unit: null, to_parent: null },
    ]);
    // Stage 2 and 3 reminders never fired: s2 was accepted and s3-plan waived before their reminder dates.
    expect((await noticesOf(h.db, unit.id)).length).toBe(5);
    await maybeRecordHistory(handle, 'unit-late-gating');
  });
});
