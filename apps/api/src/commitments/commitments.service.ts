import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { CreateCommitmentDto, CreateLeaderReviewDto, ListCommitmentsQuery } from './commitment.dto';
import { fulfilment, type GoalView, type ReviewView } from './fulfilment';

export interface Caller {
  user: AuthUser;
  ip: string | null;
  key: string;
}

const LIST_LIMIT = 500;

const invalid = (problems: FieldProblem[]) => DomainError.validation(`invalid request: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);

/**
 * Public commitments and leader reviews. Every write is one transaction that also claims the Idempotency-Key and
 * appends the audit_log row, so a failed request leaves nothing and a retried one writes nothing more.
 */
@Injectable()
export class CommitmentsService {
  constructor(
    private readonly db: Db,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
  ) {}

  /** A unit's secretary or submitter records its own unit's commitment (one per cycle). */
  async create(dto: CreateCommitmentDto, c: Caller) {
    if (c.user.unitId !== dto.unitId) throw new DomainError(ErrorCode.Forbidden, `unit ${dto.unitId} is not writable by ${c.user.email}: a unit records only its own commitment`);
    return this.idempotency.run({ actor: c.user.id, key: c.key, route: 'POST /api/commitments', request: dto }, async (m) => {
      const cycle = await this.cycleOf(m, dto.cycleId, dto.unitId);
      const problems: FieldProblem[] = [];
      dto.goals.forEach((g, i) => {
        if (g.targetDate < cycle.startDate) problems.push({ field: `goals[${i}].targetDate`, problem: `is before the cycle starts (${cycle.startDate})` });
        const twin = dto.goals.findIndex((o) => o.title.trim() === g.title.trim());
        if (twin < i) problems.push({ field: `goals[${i}].title`, problem: `repeats goals[${twin}].title` });
      });
      if (problems.length) throw invalid(problems);
      const [taken] = await m.query(`SELECT id FROM public_commitment WHERE cycle_id = $1 AND unit_id = $2`, [dto.cycleId, dto.unitId]);
      if (taken) throw new DomainError(ErrorCode.Conflict, `unit ${dto.unitId} already has a commitment for this cycle (${taken.id})`, [{ field: 'unitId', problem: 'already has a commitment for this cycle' }]);
      const id = randomUUID();
      await m.query(`INSERT INTO public_commitment (id, cycle_id, unit_id, title, content, created_by) VALUES ($1, $2, $3, $4, $5, $6)`, [id, dto.cycleId, dto.unitId, dto.title.trim(), dto.content.trim(), c.user.id]);
      await m.query(
        `INSERT INTO commitment_goal (id, commitment_id, ordinal, title, measure, target_date)
         SELECT gen_random_uuid(), $1, g.ordinal, g.title, g.measure, g.target::date
           FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS g(ordinal, title, measure, target)`,
        [id, dto.goals.map((_, i) => i + 1), dto.goals.map((g) => g.title.trim()), dto.goals.map((g) => g.measure.trim()), dto.goals.map((g) => g.targetDate)],
      );
      const view = await this.view(m, id);
      await this.audit.record({ actor: c.user, action: 'commitment.create', entity: 'commitment', entityId: id, ip: c.ip, after: view }, m);
      return view;
    });
  }

  /** The office records a leader's half-yearly review: every goal assessed exactly once. */
  async review(commitmentId: string, dto: CreateLeaderReviewDto, c: Caller) {
    return this.idempotency.run({ actor: c.user.id, key: c.key, route: `POST /api/commitments/${commitmentId}/reviews`, request: dto }, async (m) => {
      const commitment = await this.view(m, commitmentId);
      const cycle = await this.cycleOf(m, commitment.cycleId, commitment.unitId);
      const problems: FieldProblem[] = [];
      const year = Number(dto.period.slice(0, 4));
      const periodStart = `${year}-${dto.period.endsWith('H1') ? '01' : '07'}-01`;
      if (year < Number(cycle.startDate.slice(0, 4))) problems.push({ field: 'period', problem: `is before the cycle starts (${cycle.startDate})` });
      if (dto.reviewedOn < periodStart) problems.push({ field: 'reviewedOn', problem: `is before the half-year ${dto.period} begins (${periodStart})` });
      const known = new Map(commitment.goals.map((g) => [g.id, g]));
      const seen = new Map<string, number>();
      dto.goals.forEach((a, i) => {
        if (!known.has(a.goalId)) problems.push({ field: `goals[${i}].goalId`, problem: 'is not a goal of this commitment' });
        else if (seen.has(a.goalId)) problems.push({ field: `goals[${i}].goalId`, problem: `assesses the same goal as goals[${seen.get(a.goalId)}]` });
        else seen.set(a.goalId, i);
        if (a.assessment !== 'fulfilled' && !a.comment?.trim()) problems.push({ field: `goals[${i}].comment`, problem: 'is required when a goal is not fulfilled (say what is missing)' });
      });
      const missing = commitment.goals.filter((g) => !seen.has(g.id));
      if (missing.length && problems.every((p) => !p.field.endsWith('.goalId'))) {
        problems.push({ field: 'goals', problem: `every goal must be assessed; missing: ${missing.map((g) => `goal ${g.ordinal} (${g.id})`).join(', ')}` });
      }
      if (problems.length) throw invalid(problems);
      if (commitment.reviews.some((r) => r.period === dto.period)) {
        throw new DomainError(ErrorCode.Conflict, `the commitment already has a leader review for ${dto.period}`, [{ field: 'period', problem: 'already reviewed' }]);
      }
      const reviewId = randomUUID();
      await m.query(
        `INSERT INTO leader_review (id, commitment_id, period, reviewer, reviewed_on, strengths, shortcomings, direction, recorded_by)
         VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9)`,
        [reviewId, commitmentId, dto.period, dto.reviewer.trim(), dto.reviewedOn, dto.strengths.trim(), dto.shortcomings.trim(), dto.direction.trim(), c.user.id],
      );
      await m.query(
        `INSERT INTO leader_review_goal (review_id, goal_id, assessment, comment) SELECT $1, g.goal, g.assessment, g.comment FROM unnest($2::uuid[], $3::text[], $4::text[]) AS g(goal, assessment, comment)`,
        [reviewId, dto.goals.map((a) => a.goalId), dto.goals.map((a) => a.assessment), dto.goals.map((a) => a.comment?.trim() ?? '')],
      );
      const view = await this.view(m, commitmentId);
      await this.audit.record({ actor: c.user, action: 'commitment.review', entity: 'commitment', entityId: commitmentId, ip: c.ip, after: view.reviews.find((r) => r.id === reviewId) }, m);
      return view;
    });
  }

  async get(id: string, user: AuthUser) {
    const view = await this.view(this.db.manager, id);
    await this.access.assertRead(user, view.unitId);
    return view;
  }

  /** Readable commitments (office and auditors: all; a secretary: their unit and the units below; others: their unit). */
  async list(q: ListCommitmentsQuery, user: AuthUser) {
    const params: unknown[] = [q.cycleId ?? null, q.unitId ?? null];
    const filter = this.access.readableUnitsFilter(user, 'unit_id', 3);
    if (filter) params.push(...filter.params);
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM public_commitment WHERE ($1::uuid IS NULL OR cycle_id = $1) AND ($2::uuid IS NULL OR unit_id = $2) ${filter ? `AND ${filter.sql}` : ''}
        ORDER BY created_at, id LIMIT ${LIST_LIMIT}`,
      params,
    );
    const views = [];
    for (const r of rows) views.push(await this.view(this.db.manager, r.id));
    return views;
  }

  private async cycleOf(m: EntityManager, cycleId: string, unitId: string) {
    const [cycle] = await m.query(`SELECT starts_at, time_zone FROM campaign_cycle WHERE id = $1`, [cycleId]);
    if (!cycle) throw invalid([{ field: 'cycleId', problem: 'unknown cycle' }]);
    const [member] = await m.query(`SELECT 1 FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2`, [cycleId, unitId]);
    if (!member) throw invalid([{ field: 'unitId', problem: 'is not a unit of this cycle' }]);
    return { startDate: DateTime.fromJSDate(cycle.starts_at).setZone(cycle.time_zone).toISODate()! };
  }

  private async view(m: EntityManager, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw DomainError.notFound(`commitment ${id}`);
    const [c] = await m.query(
      `SELECT c.id, c.cycle_id AS "cycleId", c.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", c.title, c.content,
              c.created_by AS "createdBy", c.created_at AS "createdAt"
         FROM public_commitment c JOIN unit u ON u.id = c.unit_id WHERE c.id = $1`,
      [id],
    );
    if (!c) throw DomainError.notFound(`commitment ${id}`);
    const goals: GoalView[] = await m.query(
      `SELECT id, ordinal, title, measure, to_char(target_date, 'YYYY-MM-DD') AS "targetDate" FROM commitment_goal WHERE commitment_id = $1 ORDER BY ordinal`,
      [id],
    );
    const reviewRows = await m.query(
      `SELECT id, period, reviewer, to_char(reviewed_on, 'YYYY-MM-DD') AS "reviewedOn", strengths, shortcomings, direction,
              recorded_by AS "recordedBy", recorded_at AS "recordedAt"
         FROM leader_review WHERE commitment_id = $1 ORDER BY period`,
      [id],
    );
    const assessments = await m.query(
      `SELECT rg.review_id AS "reviewId", rg.goal_id AS "goalId", g.ordinal, rg.assessment, rg.comment
         FROM leader_review_goal rg JOIN commitment_goal g ON g.id = rg.goal_id JOIN leader_review r ON r.id = rg.review_id
        WHERE r.commitment_id = $1 ORDER BY g.ordinal`,
      [id],
    );
    const reviews: ReviewView[] = reviewRows.map((r: any) => ({
      ...r,
      recordedAt: r.recordedAt.toISOString(),
      goals: assessments.filter((a: any) => a.reviewId === r.id).map(({ reviewId, ...a }: any) => a),
    }));
    return { ...c, createdAt: c.createdAt.toISOString(), goals, reviews, fulfilment: fulfilment(goals, reviews) } as {
      id: string;
      cycleId: string;
      unitId: string;
      unitCode: string;
      unitName: string;
      title: string;
      content: string;
      createdBy: string;
      createdAt: string;
      goals: GoalView[];
      reviews: ReviewView[];
      fulfilment: ReturnType<typeof fulfilment>;
    };
  }
}
