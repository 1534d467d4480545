import { reviewUpdate, submitUpdate, unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import type { unitCampaignWorkflow } from '../../../workflows/campaign/unit-campaign.workflow';
import { seedCycle, unitInput } from '../../support/campaign-factory';
import {
  eventsOf,
  expectRejection,
  maybeRecordHistory,
  noticesOf,
  useHarness,
  stepRowsOf,
  timerFiredTimes,
} from '../campaign/harness';
import { builtinPlan, localDue, localStart, nextYearOf, submitAndAccept } from './builtin-support';
import { DAY, HOUR, isoOf, localText, toSecond } from '../../support/time';
import { eventually } from '../../support/eventually';

/**
 * The built-in 2011 annual campaign (seed 000, “满意在徐汇”) for one school, started next year: four quarter stages
 * with gating between them, half-yearly leader reviews, the template's default reminders (7 days, 1 day before due)
 * and escalation ladder (due → unit, +3 days → parent, +7 days → office and bulletin).
 *
 * The unit is late in Q1 (public commitment: both reminders, the due notice and the parent escalation go out, and
 * Q2 waits behind the gate although its window opened), on time after the first reminder in Q2 (one submission
 * returned once), early in Q3 (Q4's steps then open at their window, not at the stage entry), and completes in Q4.
 */
describe('built-in template xuhui-2011-satisfaction: a school through the four quarters (time-skipping server, real worker, real PostgreSQL)', () => {
  const h = useHarness('builtin-annual-2011');

  it('opens each quarter’s steps, sends reminders, due notices and escalations at exact instants, gates the quarters, completes', async () => {
    const y = await nextYearOf(h);
    const plan = builtinPlan('xuhui-2011-satisfaction', `${y}-01-01`, 'school');

    // The plan's instants, derived independently of the template code (the seed's quarter ends, in Y).
    const S1 = localStart(y, 1, 1);
    const S2 = localStart(y, 4, 1);
    const S3 = localStart(y, 7, 1);
    const S4 = localStart(y, 10, 1);
    const D1 = localDue(y, 3, 31);
    const D2 = localDue(y, 6, 30);
    const D3 = localDue(y, 9, 30);
    const D4 = localDue(y, 12, 30);
    const stepsOf = () => plan.stages.map((s) => [s.key, s.steps.map((x) => [x.key, x.opensAt, x.dueAt])]);
    expect(stepsOf()).toEqual([
      [
        'q1-plan-and-commit',
        [
          ['activity-plan', isoOf(S1), isoOf(D1)],
          ['theme-and-carrier', isoOf(S1), isoOf(D1)],
          ['public-commitment', isoOf(S1), isoOf(D1)],
        ],
      ],
      [
        'q2-recognition',
        [
          ['recognition', isoOf(S2), isoOf(D2)],
          ['leader-review#1', isoOf(S2), isoOf(D2)],
        ],
      ],
      [
        'q3-progress-check',
        [
          ['track-effective-teaching', isoOf(S3), isoOf(D3)],
          ['track-student-health', isoOf(S3), isoOf(D3)],
          ['track-teacher-development', isoOf(S3), isoOf(D3)],
        ],
      ],
      [
        'q4-assessment',
        [
          ['performance-assessment', isoOf(S4), isoOf(D4)],
          ['mass-evaluation', isoOf(S4), isoOf(D4)],
          ['leader-review#2', isoOf(S4), isoOf(D4)],
        ],
      ],
    ]);

    const cycle = await seedCycle(h.db, { plan, unitCount: 1, kind: 'school' });
    const unit = cycle.units[0];
    const handle = await h.env.client.workflow.start<typeof unitCampaignWorkflow>('unitCampaignWorkflow', {
      workflowId: unitWorkflowId(cycle.cycleId, unit.id),
      taskQueue: h.taskQueue,
      args: [unitInput(cycle, unit, plan)],
    });
    const startedAt = Date.parse((await handle.describe()).startTime.toISOString());
    const status = () => handle.query(unitStatusQuery);
    const stepOf = async (key: string) => (await status()).steps.find((s) => s.key === key)!;

    // ---- before the year: in Q1, nothing open ---------------------------------------------------------------
    expect(startedAt).toBeLessThan(S1);
    expect((await status()).steps.map((s) => s.status)).toEqual(Array(11).fill('pending'));
    await expectRejection(
      handle.executeUpdate(submitUpdate, {
        args: [{ stepKey: 'activity-plan', submissionId: 'early', actor: 'secretary-1' }],
      }),
      'step "activity-plan" is not open yet',
    );

    // ---- Q1: two steps accepted early, the public commitment late ----------------------------------------------
    await h.advanceTo(localStart(y, 3, 15));
    const q1Open = await status();
    expect(q1Open.currentStage).toBe('q1-plan-and-commit');
    expect(q1Open.steps.filter((s) => s.status === 'open').map((s) => [s.key, s.openedAt])).toEqual([
      ['activity-plan', isoOf(S1)],
      ['theme-and-carrier', isoOf(S1)],
      ['public-commitment', isoOf(S1)],
    ]);
    await submitAndAccept(handle, 'activity-plan', 'plan-1');
    await submitAndAccept(handle, 'theme-and-carrier', 'theme-1');

    // Past Q1's end and Q2's opening, three days overdue: the gate holds the unit in Q1, Q2 stays pending.
    await h.advanceTo(D1 + 3 * DAY + HOUR);
    const held = await status();
    expect(held.currentStage).toBe('q1-plan-and-commit');
    expect(held.steps.filter((s) => s.stageKey === 'q2-recognition').map((s) => s.status)).toEqual([
      'pending',
      'pending',
    ]);
    expect(held.steps.find((s) => s.key === 'public-commitment')).toMatchObject({
      status: 'open',
      escalationRung: 1,
      onBulletin: false,
    });
    await expectRejection(
      handle.executeUpdate(submitUpdate, {
        args: [{ stepKey: 'recognition', submissionId: 'r-0', actor: 'secretary-1' }],
      }),
      'step "recognition" is not open yet',
    );
    const q1Notices = await eventually(
      () => noticesOf(h.db, unit.id),
      (n) => n.length === 4,
    );
    const key = (step: string, kind: string, rung: number) => `${cycle.cycleId}:${unit.id}:${step}:${kind}:g0:r${rung}`;
    expect(q1Notices).toEqual([
      {
        step: 'public-commitment',
        kind: 'reminder',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(D1 - 7 * DAY),
        dueAt: isoOf(D1),
        dedupeKey: key('public-commitment', 'reminder', 0),
      },
      {
        step: 'public-commitment',
        kind: 'reminder',
        rung: 1,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(D1 - DAY),
        dueAt: isoOf(D1),
        dedupeKey: key('public-commitment', 'reminder', 1),
      },
      {
        step: 'public-commitment',
        kind: 'due',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(D1),
        dueAt: isoOf(D1),
        dedupeKey: key('public-commitment', 'due', 0),
      },
      {
        step: 'public-commitment',
        kind: 'escalation',
        rung: 1,
        audience: 'parent',
        occurrence: 0,
        scheduledFor: isoOf(D1 + 3 * DAY),
        dueAt: isoOf(D1),
        dedupeKey: key('public-commitment', 'escalation', 1),
      },
    ]);

    // Accepted before the office rung (+7 days): the unit leaves Q1 and Q2's steps open at that very instant.
    const commitment = await submitAndAccept(handle, 'public-commitment', 'commit-1');
    const A1 = Date.parse(commitment.acceptedAt!);
    const inQ2 = await status();
    expect(inQ2.currentStage).toBe('q2-recognition');
    expect(inQ2.steps.filter((s) => s.stageKey === 'q2-recognition').map((s) => [s.key, s.status, s.openedAt])).toEqual(
      [
        ['recognition', 'open', isoOf(A1)],
        ['leader-review#1', 'open', isoOf(A1)],
      ],
    );

    // ---- Q2: after the 7-day reminder; the leader review is returned once ---------------------------------------
    await h.advanceTo(D2 - 6 * DAY);
    const recognition = await submitAndAccept(handle, 'recognition', 'recognition-1');
    expect((await status()).currentStage).toBe('q2-recognition'); // the leader review still gates Q2
    await handle.executeUpdate(submitUpdate, {
      args: [{ stepKey: 'leader-review#1', submissionId: 'review-1', actor: 'secretary-1' }],
    });
    await handle.executeUpdate(reviewUpdate, {
      args: [
        {
          stepKey: 'leader-review#1',
          submissionId: 'review-1',
          decision: 'return',
          comment: '点评缺少努力方向',
          actor: 'office-1',
        },
      ],
    });
    expect((await status()).currentStage).toBe('q2-recognition');
    const review1 = await submitAndAccept(handle, 'leader-review#1', 'review-2');
    const A2 = Date.parse(review1.acceptedAt!);
    // In Q3 before its window: the tracks wait for 1 July.
    const inQ3 = await status();
    expect(inQ3.currentStage).toBe('q3-progress-check');
    expect(inQ3.steps.filter((s) => s.stageKey === 'q3-progress-check').map((s) => s.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);

    // ---- Q3: the three tracks of a school, accepted mid-quarter ------------------------------------------------
    await h.advanceTo(localStart(y, 8, 16));
    expect(
      (await status()).steps
        .filter((s) => s.stageKey === 'q3-progress-check')
        .map((s) => [s.key, s.status, s.openedAt]),
    ).toEqual([
      ['track-effective-teaching', 'open', isoOf(S3)],
      ['track-student-health', 'open', isoOf(S3)],
      ['track-teacher-development', 'open', isoOf(S3)],
    ]);
    const tracks = [];
    for (const k of ['track-effective-teaching', 'track-student-health', 'track-teacher-development'])
      tracks.push(await submitAndAccept(handle, k, `${k}-1`));
    expect((await status()).currentStage).toBe('q4-assessment');
    expect((await stepOf('performance-assessment')).status).toBe('pending');

    // ---- Q4: opens at its window (1 October); accepted between the two reminders; the cycle completes ----------
    await h.advanceTo(D4 - 36 * HOUR);
    expect(
      (await status()).steps.filter((s) => s.stageKey === 'q4-assessment').map((s) => [s.key, s.status, s.openedAt]),
    ).toEqual([
      ['performance-assessment', 'open', isoOf(S4)],
      ['mass-evaluation', 'open', isoOf(S4)],
      ['leader-review#2', 'open', isoOf(S4)],
    ]);
    const q4 = [];
    for (const k of ['performance-assessment', 'mass-evaluation', 'leader-review#2'])
      q4.push(await submitAndAccept(handle, k, `${k}-1`));
    const final = await handle.result();
    expect(final.state).toBe('completed');
    const A4 = Date.parse(q4[2].acceptedAt!);

    // ---- notices: exactly these, once each ----------------------------------------------------------------------
    const notices = (await noticesOf(h.db, unit.id)).sort(
      (a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.step.localeCompare(b.step),
    );
    expect(notices.map((n) => [n.step, n.kind, n.rung, n.audience, n.scheduledFor])).toEqual([
      ['public-commitment', 'reminder', 0, 'unit', isoOf(D1 - 7 * DAY)],
      ['public-commitment', 'reminder', 1, 'unit', isoOf(D1 - DAY)],
      ['public-commitment', 'due', 0, 'unit', isoOf(D1)],
      ['public-commitment', 'escalation', 1, 'parent', isoOf(D1 + 3 * DAY)],
      ['leader-review#1', 'reminder', 0, 'unit', isoOf(D2 - 7 * DAY)],
      ['recognition', 'reminder', 0, 'unit', isoOf(D2 - 7 * DAY)],
      ['leader-review#2', 'reminder', 0, 'unit', isoOf(D4 - 7 * DAY)],
      ['mass-evaluation', 'reminder', 0, 'unit', isoOf(D4 - 7 * DAY)],
      ['performance-assessment', 'reminder', 0, 'unit', isoOf(D4 - 7 * DAY)],
    ]);
    expect(new Set(notices.map((n) => n.dedupeKey)).size).toBe(9);

    // The server's own timers fired exactly at the windows and notice instants (to the second).
    expect((await timerFiredTimes(handle)).map(toSecond)).toEqual(
      [S1, D1 - 7 * DAY, D1 - DAY, D1, D1 + 3 * DAY, D2 - 7 * DAY, S3, S4, D4 - 7 * DAY].map((ms) =>
        toSecond(isoOf(ms)),
      ),
    );

    // ---- the history (unit_event) ------------------------------------------------------------------------------
    const events = await eventually(
      () => eventsOf(h.db, unit.id),
      (e) => e.at(-1)?.kind === 'completed',
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const opened = (keys: string[]) => keys.map((k) => ['step_opened', k]);
    const accepted = (keys: string[]) =>
      keys.flatMap((k) => [
        ['submitted', k],
        ['accepted', k],
      ]);
    const stageChange = [
      ['stage_left', null],
      ['stage_entered', null],
    ];
    expect(events.map((e) => [e.kind, e.step])).toEqual([
      ['started', null],
      ['stage_entered', null],
      ...opened(['activity-plan', 'theme-and-carrier', 'public-commitment']),
      ...accepted(['activity-plan', 'theme-and-carrier']),
      ['reminder_sent', 'public-commitment'],
      ['reminder_sent', 'public-commitment'],
      ['due_notice_sent', 'public-commitment'],
      ['escalated', 'public-commitment'],
      ...accepted(['public-commitment']),
      ...stageChange,
      ...opened(['recognition', 'leader-review#1']),
      ['reminder_sent', 'recognition'],
      ['reminder_sent', 'leader-review#1'],
      ...accepted(['recognition']),
      ['submitted', 'leader-review#1'],
      ['returned', 'leader-review#1'],
      ...accepted(['leader-review#1']),
      ...stageChange,
      ...opened(['track-effective-teaching', 'track-student-health', 'track-teacher-development']),
      ...accepted(['track-effective-teaching', 'track-student-health', 'track-teacher-development']),
      ...stageChange,
      ...opened(['performance-assessment', 'mass-evaluation', 'leader-review#2']),
      ['reminder_sent', 'performance-assessment'],
      ['reminder_sent', 'mass-evaluation'],
      ['reminder_sent', 'leader-review#2'],
      ...accepted(['performance-assessment', 'mass-evaluation', 'leader-review#2']),
      ['stage_left', null],
      ['completed', null],
    ]);
    const at = (kind: string, step: string | null, nth = 0) =>
      events.filter((e) => e.kind === kind && e.step === step)[nth].at;
    const startedEventAt = events[0].at; // the first workflow task's clock, a moment after the server's start time
    expect(Date.parse(startedEventAt) - startedAt).toBeLessThan(60_000);
    expect(events.filter((e) => e.kind === 'stage_entered').map((e) => e.at)).toEqual([
      startedEventAt,
      isoOf(A1),
      isoOf(A2),
      tracks[2].acceptedAt,
    ]);
    expect([
      at('step_opened', 'activity-plan'),
      at('step_opened', 'recognition'),
      at('step_opened', 'track-student-health'),
      at('step_opened', 'leader-review#2'),
    ]).toEqual([S1, A1, S3, S4].map(isoOf));
    expect(at('escalated', 'public-commitment')).toBe(isoOf(D1 + 3 * DAY));
    expect(events.find((e) => e.kind === 'escalated')!.summary).toBe(
      `Escalated to the parent organisation: 作出年度公开承诺 due ${localText(D1)}, 3 days overdue`,
    );
    expect(events.find((e) => e.kind === 'reminder_sent' && e.step === 'leader-review#2')).toMatchObject({
      at: isoOf(D4 - 7 * DAY),
      summary: `Reminder sent: 领导点评（${y}年下半年） due ${localText(D4)}, 7 days left`,
    });
    expect(events.find((e) => e.kind === 'returned')).toMatchObject({
      actor: 'office-1',
      summary: 'Submission review-1 for 领导点评（' + y + '年上半年） returned for rework: 点评缺少努力方向',
    });
    expect(events.at(-1)!.at).toBe(isoOf(A4));

    // ---- the read model: unit_step_status and cycle_unit --------------------------------------------------------
    const row = (due: number, openedAt: number, acceptedAt: string, escalationLevel = 0) => ({
      status: 'accepted',
      dueAt: isoOf(due),
      openedAt: isoOf(openedAt),
      acceptedAt,
      waivedAt: null,
      escalationLevel,
      onBulletin: false,
    });
    const acceptedAtOf = async (k: string) => (await stepOf(k)).acceptedAt!;
    expect(await stepRowsOf(h.db, unit.id)).toEqual({
      'activity-plan': row(D1, S1, await acceptedAtOf('activity-plan')),
      'theme-and-carrier': row(D1, S1, await acceptedAtOf('theme-and-carrier')),
      'public-commitment': row(D1, S1, isoOf(A1), 2), // due notice (rung 0) and parent (rung 1) reached
      recognition: row(D2, A1, recognition.acceptedAt!),
      'leader-review#1': row(D2, A1, isoOf(A2)),
      'track-effective-teaching': row(D3, S3, tracks[0].acceptedAt!),
      'track-student-health': row(D3, S3, tracks[1].acceptedAt!),
      'track-teacher-development': row(D3, S3, tracks[2].acceptedAt!),
      'performance-assessment': row(D4, S4, q4[0].acceptedAt!),
      'mass-evaluation': row(D4, S4, q4[1].acceptedAt!),
      'leader-review#2': row(D4, S4, isoOf(A4)),
    });
    const [cycleUnit] = await h.db.query(
      `SELECT status, current_stage, started_at, completed_at FROM cycle_unit WHERE unit_id = $1`,
      [unit.id],
    );
    expect(cycleUnit).toEqual({
      status: 'completed',
      current_stage: null,
      started_at: new Date(startedEventAt),
      completed_at: new Date(A4),
    });
    await maybeRecordHistory(handle, 'builtin-annual-2011-quarterly');
  });
});
