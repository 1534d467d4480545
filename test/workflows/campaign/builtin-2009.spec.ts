import type { WorkflowHandle } from '@temporalio/client';
import { extendUpdate, submitUpdate, unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId, type CycleWorkflowInput } from '../../../workflows/campaign/types';
import type { campaignCycleWorkflow } from '../../../workflows/campaign/campaign-cycle.workflow';
import { seedCycle } from '../../support/campaign-factory';
import { builtinPlan, localDue, localStart, nextYearOf, submitAndAccept } from '../builtin/builtin-support';
import { eventsOf, expectRejection, maybeRecordHistory, noticesOf, useHarness, stepRowsOf } from './harness';
import { DAY, HOUR, isoOf, localText, toSecond } from '../../support/time';
import { eventually } from '../../support/eventually';

/**
 * Acceptance: the built-in 2009 campaign (seed 004: 学习调研 → 分析检查 → 整改落实, six steps plus the mobilisation
 * meeting) for three schools, started by the cycle workflow "next year" (the test server's clock starts today):
 * A is on time and accepted throughout; B is late with the 分析检查报告 — both reminders, the due notice, escalation to
 * the parent at +3 days and to the office with the bulletin at +7 days — and the gate holds B in 分析检查 until the
 * report is accepted; C is granted an extension of the 整改落实方案 and its timers move with it.
 */
describe('built-in template xuhui-2009-study-practice: units A (on time), B (late), C (extended) through the cycle workflow (time-skipping server, real PostgreSQL)', () => {
  const h = useHarness('builtin-2009');

  it('runs the whole campaign with exact notice instants, gating, an extension and the final read model', async () => {
    const y = await nextYearOf(h);
    const plan = builtinPlan('xuhui-2009-study-practice', `${y}-03-01`, 'school');
    // The plan's instants, derived independently of the template code (the seed's stage windows in year y).
    const [S1, S2, S3] = [localStart(y, 3, 1), localStart(y, 5, 1), localStart(y, 6, 1)];
    const [Dmob, D1, D2, D3] = [localDue(y, 3, 20), localDue(y, 4, 30), localDue(y, 6, 30), localDue(y, 8, 31)];
    expect(plan.stages.map((s) => [s.key, s.steps.map((x) => [x.key, x.opensAt, x.dueAt, x.required])])).toEqual([
      [
        'study-research',
        [
          ['mobilisation', isoOf(S1), isoOf(Dmob), true],
          ['study-and-research', isoOf(S1), isoOf(D1), true],
          ['emancipation-discussion', isoOf(S1), isoOf(D1), true],
        ],
      ],
      [
        'analysis-inspection',
        [
          ['democratic-life-meeting', isoOf(S2), isoOf(D2), true],
          ['analysis-report', isoOf(S2), isoOf(D2), true],
        ],
      ],
      [
        'rectification',
        [
          ['rectification-plan', isoOf(S3), isoOf(D3), true],
          ['solve-problems', isoOf(S3), isoOf(D3), true],
        ],
      ],
    ]);

    // ---- the cycle workflow starts the three unit workflows (batches of 2, 2 pending at most) ------------------
    const cycle = await seedCycle(h.db, { plan, unitCount: 3, kind: 'school' });
    const [A, B, C] = cycle.units;
    const input: CycleWorkflowInput = {
      cycleId: cycle.cycleId,
      unitCount: 3,
      batchSize: 2,
      window: 2,
      completionCheckMs: 7 * DAY,
    };
    const coordinator = await h.env.client.workflow.start<typeof campaignCycleWorkflow>('campaignCycleWorkflow', {
      workflowId: cycle.workflowId,
      taskQueue: h.taskQueue,
      args: [input],
    });
    await eventually(
      () => h.db.query(`SELECT status FROM campaign_cycle WHERE id = $1`, [cycle.cycleId]),
      (r) => r[0].status === 'running',
    );
    const [a, b, c] = [A, B, C].map((u) => h.env.client.workflow.getHandle(unitWorkflowId(cycle.cycleId, u.id)));
    const stepOf = async (handle: WorkflowHandle, key: string) =>
      (await handle.query(unitStatusQuery)).steps.find((s) => s.key === key)!;
    const stageOf = async (handle: WorkflowHandle) => (await handle.query(unitStatusQuery)).currentStage;
    const at = (m: number, d: number, hour = 10) => localStart(y, m, d) + hour * HOUR;

    // ---- stage 1 学习调研: everyone on time ------------------------------------------------------------------------
    await h.advanceTo(at(3, 10));
    expect(await stepOf(a, 'mobilisation')).toMatchObject({ status: 'open', openedAt: isoOf(S1) });
    for (const [handle, tag] of [
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ] as const)
      await submitAndAccept(handle, 'mobilisation', `${tag}-mob`);
    await h.advanceTo(at(4, 20));
    const stage2Entered: Record<string, number> = {};
    for (const [handle, tag] of [
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ] as const) {
      await submitAndAccept(handle, 'study-and-research', `${tag}-study`);
      stage2Entered[tag] = Date.parse(
        (await submitAndAccept(handle, 'emancipation-discussion', `${tag}-discussion`)).acceptedAt!,
      );
      expect(await stageOf(handle)).toBe('analysis-inspection');
    }
    // Entered 分析检查 on 20 April; its steps open with their window on 1 May, not at the entry.
    await h.advanceTo(at(5, 2));
    expect(await stepOf(b, 'analysis-report')).toMatchObject({ status: 'open', openedAt: isoOf(S2) });

    // ---- stage 2 分析检查: A and C on time; B hands in the meeting only -----------------------------------------
    await h.advanceTo(at(6, 20));
    const stage3Entered: Record<string, number> = {};
    for (const [handle, tag] of [
      [a, 'A'],
      [c, 'C'],
    ] as const) {
      await submitAndAccept(handle, 'democratic-life-meeting', `${tag}-dlm`);
      stage3Entered[tag] = Date.parse((await submitAndAccept(handle, 'analysis-report', `${tag}-report`)).acceptedAt!);
      // 整改落实's window opened on 1 June, so its steps open at the instant the unit enters the stage.
      expect(await stepOf(handle, 'rectification-plan')).toMatchObject({
        status: 'open',
        openedAt: isoOf(stage3Entered[tag]),
      });
    }
    await submitAndAccept(b, 'democratic-life-meeting', 'B-dlm');

    // ---- B is late: reminders, due notice, parent at +3 days, office and bulletin at +7 days ---------------------
    await h.advanceTo(at(7, 8));
    const bNotices = await eventually(
      () => noticesOf(h.db, B.id),
      (n) => n.length === 5,
    );
    expect(bNotices.map((n) => [n.step, n.kind, n.rung, n.audience, n.scheduledFor])).toEqual([
      ['analysis-report', 'reminder', 0, 'unit', isoOf(D2 - 7 * DAY)],
      ['analysis-report', 'reminder', 1, 'unit', isoOf(D2 - 1 * DAY)],
      ['analysis-report', 'due', 0, 'unit', isoOf(D2)],
      ['analysis-report', 'escalation', 1, 'parent', isoOf(D2 + 3 * DAY)],
      ['analysis-report', 'escalation', 2, 'office', isoOf(D2 + 7 * DAY)],
    ]);
    // Gating (进度服从质量): 整改落实 opened on 1 June, but B stays in 分析检查 and its stage-3 steps stay pending.
    expect(await stageOf(b)).toBe('analysis-inspection');
    const heldStep = await stepOf(b, 'rectification-plan');
    expect([heldStep.status, heldStep.openedAt]).toEqual(['pending', undefined]);
    await expectRejection(
      b.executeUpdate(submitUpdate, {
        args: [{ stepKey: 'rectification-plan', submissionId: 'B-too-early', actor: 'secretary-B' }],
      }),
      'step "rectification-plan" is not open yet',
    );
    const bEvents = await eventsOf(h.db, B.id);
    expect(
      bEvents
        .filter((e) => e.step === 'analysis-report' && e.kind !== 'step_opened')
        .map((e) => [e.kind, e.at, e.summary]),
    ).toEqual([
      [
        'reminder_sent',
        isoOf(D2 - 7 * DAY),
        `Reminder sent: （4）形成领导班子分析检查报告 due ${localText(D2)}, 7 days left`,
      ],
      [
        'reminder_sent',
        isoOf(D2 - 1 * DAY),
        `Reminder sent: （4）形成领导班子分析检查报告 due ${localText(D2)}, 1 day left`,
      ],
      [
        'due_notice_sent',
        isoOf(D2),
        `Due notice sent: （4）形成领导班子分析检查报告 due ${localText(D2)} has passed without an accepted submission`,
      ],
      [
        'escalated',
        isoOf(D2 + 3 * DAY),
        `Escalated to the parent organisation: （4）形成领导班子分析检查报告 due ${localText(D2)}, 3 days overdue`,
      ],
      [
        'escalated',
        isoOf(D2 + 7 * DAY),
        `Escalated to the office: （4）形成领导班子分析检查报告 due ${localText(D2)}, 7 days overdue; unit put on the bulletin (通报)`,
      ],
    ]);

    // B hands the report in on 10 July and it is accepted: B enters 整改落实 and its steps open at that instant.
    await h.advanceTo(at(7, 10));
    const bAccepted = Date.parse((await submitAndAccept(b, 'analysis-report', 'B-report')).acceptedAt!);
    expect(await stageOf(b)).toBe('rectification');
    expect(await stepOf(b, 'rectification-plan')).toMatchObject({ status: 'open', openedAt: isoOf(bAccepted) });

    // ---- C is granted an extension of the rectification plan to 30 September ------------------------------------
    await h.advanceTo(at(8, 1));
    const newDue = localDue(y, 9, 30);
    expect(
      await c.executeUpdate(extendUpdate, {
        args: [{ stepKey: 'rectification-plan', newDueAt: isoOf(newDue), actor: 'office-1', reason: '暑期顺延' }],
      }),
    ).toMatchObject({
      dueAt: isoOf(newDue),
      originalDueAt: isoOf(D3),
    });

    // ---- 20 August: A and B finish; C finishes solve-problems only -----------------------------------------------
    await h.advanceTo(at(8, 20));
    const finished: Record<string, number> = {};
    for (const [handle, tag] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      await submitAndAccept(handle, 'rectification-plan', `${tag}-plan`);
      finished[tag] = Date.parse((await submitAndAccept(handle, 'solve-problems', `${tag}-solve`)).acceptedAt!);
    }
    await submitAndAccept(c, 'solve-problems', 'C-solve');

    // C's timers followed the new due date: nothing at 24/30/31 August; the 7-day reminder on 23 September.
    await h.advanceTo(at(9, 25));
    const cNotices = await eventually(
      () => noticesOf(h.db, C.id),
      (n) => n.length === 1,
    );
    expect(cNotices.map((n) => [n.step, n.kind, n.rung, n.occurrence, n.scheduledFor, n.dueAt])).toEqual([
      ['rectification-plan', 'reminder', 0, 1, isoOf(newDue - 7 * DAY), isoOf(newDue)],
    ]);
    finished.C = Date.parse((await submitAndAccept(c, 'rectification-plan', 'C-plan')).acceptedAt!);

    // ---- every unit completes; the coordinator sees it at its next weekly check and completes the cycle ----------
    for (const handle of [a, b, c]) expect((await handle.result()).state).toBe('completed');
    await h.advanceTo(at(10, 5));
    await eventually(
      () => coordinator.describe(),
      (d) => d.status.name === 'COMPLETED',
      30_000,
    );
    expect(await h.db.query(`SELECT status FROM campaign_cycle WHERE id = $1`, [cycle.cycleId])).toEqual([
      { status: 'completed' },
    ]);

    // ---- the read model -----------------------------------------------------------------------------------------
    expect(await noticesOf(h.db, A.id)).toEqual([]);
    const units = await h.db.query(
      `SELECT unit_id, status, current_stage, started_at, completed_at FROM cycle_unit WHERE cycle_id = $1 ORDER BY ordinal`,
      [cycle.cycleId],
    );
    expect(units.map((u) => [u.status, u.current_stage, toSecond(u.completed_at.toISOString())])).toEqual([
      ['completed', null, toSecond(isoOf(finished.A))],
      ['completed', null, toSecond(isoOf(finished.B))],
      ['completed', null, toSecond(isoOf(finished.C))],
    ]);
    const rowsB = await stepRowsOf(h.db, B.id);
    expect(rowsB['analysis-report']).toEqual({
      status: 'accepted',
      dueAt: isoOf(D2),
      openedAt: isoOf(S2),
      acceptedAt: isoOf(bAccepted),
      waivedAt: null,
      escalationLevel: 3,
      onBulletin: true,
    });
    expect(rowsB['rectification-plan']).toMatchObject({
      status: 'accepted',
      openedAt: isoOf(bAccepted),
      escalationLevel: 0,
      onBulletin: false,
    });
    const rowsC = await stepRowsOf(h.db, C.id);
    expect(rowsC['rectification-plan']).toMatchObject({
      status: 'accepted',
      dueAt: isoOf(newDue),
      openedAt: isoOf(stage3Entered.C),
      escalationLevel: 0,
    });
    const rowsA = await stepRowsOf(h.db, A.id);
    expect(Object.values(rowsA).map((r) => [r.status, r.escalationLevel, r.onBulletin])).toEqual(
      Array(7).fill(['accepted', 0, false]),
    );
    expect(rowsA['democratic-life-meeting'].openedAt).toBe(isoOf(S2));
    expect(
      await h.db.query(`SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND on_bulletin`, [
        cycle.cycleId,
      ]),
    ).toEqual([{ n: 1 }]);
    for (const unit of [A, B, C]) {
      const events = await eventsOf(h.db, unit.id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.at(-1)!.kind).toBe('completed');
    }

    await maybeRecordHistory(a, 'builtin-2009-unit-A-on-time');
    await maybeRecordHistory(b, 'builtin-2009-unit-B-late');
    await maybeRecordHistory(c, 'builtin-2009-unit-C-extended');
  });
});
