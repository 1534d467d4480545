import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CyclePlan } from '../../../domain/src/plan/unit-plan';
import { Db } from '../db';
import type { Queryable } from '../queryable';

export type NoticeKindName = 'reminder' | 'due' | 'escalation' | 'evaluation_reminder';
export type NoticeAudience = 'unit' | 'parent' | 'office';

/** A notice row: one decision of a unit workflow (or one evaluation reminder round) to tell someone. */
export interface NoticeRow {
  id: string;
  dedupe_key: string;
  cycle_id: string | null;
  unit_id: string;
  step_key: string;
  kind: NoticeKindName;
  occurrence: number;
  rung: number | null;
  audience: NoticeAudience;
  scheduled_for: Date;
  due_at: Date;
  evaluation_id: string | null;
}

/** The notice with what its messages name: the unit, the campaign and the unit's resolved plan. */
export interface NoticeFactsRow extends NoticeRow {
  unit_code: string;
  unit_name: string;
  unit_zone: string | null;
  unit_kind: string;
  cycle_name: string | null;
  cycle_zone: string | null;
  /** The unit's resolved plan, null for a notice without a cycle. */
  plan: CyclePlan | null;
}

/** Quiet hours and closures of the notice's cycle: the unit's resolved plan and the template document. */
export interface SendingRulesRow {
  /** Null when the unit's kind has no plan in the cycle. */
  plan: CyclePlan | null;
  /** The cycle's template document: only its calendar is read here. */
  document: { calendar?: { quietHours?: { start: string; end: string } } } | null;
  cycle_zone: string;
  unit_zone: string | null;
}

/** Every statement on `notice` that notice delivery runs, and the lookups that word its messages. */
@Injectable()
export class NoticeRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  static on(manager: EntityManager): NoticeRepository {
    return new NoticeRepository(manager);
  }

  async find(noticeId: string): Promise<NoticeRow | undefined> {
    return (await this.db.query<NoticeRow>(`SELECT * FROM notice WHERE id = $1`, [noticeId]))[0];
  }

  async facts(noticeId: string): Promise<NoticeFactsRow | undefined> {
    const [row] = await this.db.query<NoticeFactsRow>(
      `SELECT n.*, u.code AS unit_code, u.name AS unit_name, u.time_zone AS unit_zone, u.kind AS unit_kind,
              c.name AS cycle_name, c.time_zone AS cycle_zone, cp.plan
         FROM notice n
         JOIN unit u ON u.id = n.unit_id
         LEFT JOIN campaign_cycle c ON c.id = n.cycle_id
         LEFT JOIN cycle_unit cu ON cu.cycle_id = n.cycle_id AND cu.unit_id = n.unit_id
         LEFT JOIN cycle_plan cp ON cp.cycle_id = n.cycle_id AND cp.unit_kind = COALESCE(cu.unit_kind, u.kind)
        WHERE n.id = $1`,
      [noticeId],
    );
    return row;
  }

  /** An evaluation's title and how many of the unit's tokens are still unused (counted at first rendering). */
  async evaluationProgress(
    evaluationId: string,
    unitId: string,
  ): Promise<{ title: string; pending: number } | undefined> {
    const [row] = await this.db.query<{ title: string; pending: number }>(
      `SELECT e.title, (SELECT count(*)::int FROM evaluation_token t WHERE t.evaluation_id = e.id AND t.unit_id = $2 AND NOT t.used) AS pending
         FROM evaluation e WHERE e.id = $1`,
      [evaluationId, unitId],
    );
    return row;
  }

  async sendingRules(cycleId: string, unitId: string): Promise<SendingRulesRow | undefined> {
    const [row] = await this.db.query<SendingRulesRow>(
      `SELECT cp.plan, t.document, c.time_zone AS cycle_zone, u.time_zone AS unit_zone
         FROM campaign_cycle c
         JOIN campaign_template t ON t.id = c.template_id
         JOIN unit u ON u.id = $2
         LEFT JOIN cycle_unit cu ON cu.cycle_id = c.id AND cu.unit_id = u.id
         LEFT JOIN cycle_plan cp ON cp.cycle_id = c.id AND cp.unit_kind = cu.unit_kind
        WHERE c.id = $1`,
      [cycleId, unitId],
    );
    return row;
  }

  // ---- evaluation reminders (libs/notifications/src/planning/plan-evaluation-reminder.ts) ---------------------------------

  async countOfEvaluation(evaluationId: string, unitId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notice WHERE evaluation_id = $1 AND unit_id = $2`,
      [evaluationId, unitId],
    );
    return row.n;
  }

  /** Inserts the round's notice unless its dedupe key exists; returns the notice's id either way. */
  async insertEvaluationReminder(n: {
    dedupeKey: string;
    cycleId: string | null;
    unitId: string;
    evaluationId: string;
    occurrence: number;
    closesAt: Date;
  }): Promise<string> {
    await this.db.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at, evaluation_id)
       VALUES ($1, $2, $3, $4, 'evaluation_reminder', $5, NULL, 'unit', now(), $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
      [n.dedupeKey, n.cycleId, n.unitId, `evaluation:${n.evaluationId}`, n.occurrence, n.closesAt, n.evaluationId],
    );
    const [row] = await this.db.query<{ id: string }>(`SELECT id FROM notice WHERE dedupe_key = $1`, [n.dedupeKey]);
    return String(row.id);
  }

  /** Lower-cased recipients of the unit's unused tokens of the evaluation (e-mail addresses or names). */
  async unansweredRecipients(evaluationId: string, unitId: string): Promise<string[]> {
    const rows = await this.db.query<{ recipient: string }>(
      `SELECT DISTINCT lower(recipient) AS recipient FROM evaluation_token WHERE evaluation_id = $1 AND unit_id = $2 AND NOT used AND recipient IS NOT NULL ORDER BY 1`,
      [evaluationId, unitId],
    );
    return rows.map((r) => r.recipient);
  }
}
