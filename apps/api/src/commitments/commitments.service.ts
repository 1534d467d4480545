import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain/src';
import { goalProblems, reviewProblems } from '../../../../libs/domain/src/commitments/commitment-rules';
import {
  fulfilment,
  type Fulfilment,
  type GoalView,
  type ReviewView,
} from '../../../../libs/domain/src/commitments/fulfilment';
import { CycleLookupRepository } from '../../../../libs/persistence/src/repositories/cycle-lookup.repository';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { CreateCommitmentDto, CreateLeaderReviewDto, ListCommitmentsQuery } from './commitment.dto';
import { CommitmentRepository, type CommitmentRow } from './commitment.repository';

export interface Caller {
  user: AuthUser;
  ip: string | null;
  key: string;
}

/** A commitment row as the api answers it: instants as ISO strings, with its goals, reviews and 践诺 summary. */
export interface CommitmentView extends Omit<CommitmentRow, 'createdAt'> {
  createdAt: string;
  goals: GoalView[];
  reviews: ReviewView[];
  fulfilment: Fulfilment;
}

const LIST_LIMIT = 500;

const invalid = (problems: FieldProblem[]) =>
  DomainError.validation(`invalid request: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);

/**
 * Public commitments and leader reviews. Every write is one transaction that also claims the Idempotency-Key and
 * appends the audit_log row, so a failed request leaves nothing and a retried one writes nothing more.
 */
@Injectable()
export class CommitmentsService {
  constructor(
    private readonly commitments: CommitmentRepository,
    private readonly cycles: CycleLookupRepository,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
  ) {}

  /** A unit's secretary or submitter records its own unit's commitment (one per cycle). */
  async create(dto: CreateCommitmentDto, c: Caller) {
    if (c.user.unitId !== dto.unitId)
      throw new DomainError(
        ErrorCode.Forbidden,
        `unit ${dto.unitId} is not writable by ${c.user.email}: a unit records only its own commitment`,
      );
    return this.idempotency.run(
      { actor: c.user.id, key: c.key, route: 'POST /api/commitments', request: dto },
      async (m) => {
        const cycle = await this.cycleOf(dto.cycleId, dto.unitId);
        const problems = goalProblems(dto.goals, cycle.startDate);
        if (problems.length) throw invalid(problems);
        const taken = await this.commitments.idOf(dto.cycleId, dto.unitId);
        if (taken)
          throw new DomainError(
            ErrorCode.Conflict,
            `unit ${dto.unitId} already has a commitment for this cycle (${taken})`,
            [{ field: 'unitId', problem: 'already has a commitment for this cycle' }],
          );
        const id = randomUUID();
        await this.commitments.insert({
          id,
          cycleId: dto.cycleId,
          unitId: dto.unitId,
          title: dto.title.trim(),
          content: dto.content.trim(),
          createdBy: c.user.id,
          goals: dto.goals.map((g) => ({ title: g.title.trim(), measure: g.measure.trim(), targetDate: g.targetDate })),
        });
        const view = await this.view(id);
        await this.audit.record(
          { actor: c.user, action: 'commitment.create', entity: 'commitment', entityId: id, ip: c.ip, after: view },
          m,
        );
        return view;
      },
    );
  }

  /** The office records a leader's half-yearly review: every goal assessed exactly once. */
  async review(commitmentId: string, dto: CreateLeaderReviewDto, c: Caller) {
    return this.idempotency.run(
      { actor: c.user.id, key: c.key, route: `POST /api/commitments/${commitmentId}/reviews`, request: dto },
      async (m) => {
        const commitment = await this.view(commitmentId);
        const cycle = await this.cycleOf(commitment.cycleId, commitment.unitId);
        const problems = reviewProblems(commitment.goals, dto, cycle.startDate);
        if (problems.length) throw invalid(problems);
        if (commitment.reviews.some((r) => r.period === dto.period)) {
          throw new DomainError(ErrorCode.Conflict, `the commitment already has a leader review for ${dto.period}`, [
            { field: 'period', problem: 'already reviewed' },
          ]);
        }
        const reviewId = randomUUID();
        await this.commitments.insertReview({
          id: reviewId,
          commitmentId,
          period: dto.period,
          reviewer: dto.reviewer.trim(),
          reviewedOn: dto.reviewedOn,
          strengths: dto.strengths.trim(),
          shortcomings: dto.shortcomings.trim(),
          direction: dto.direction.trim(),
          recordedBy: c.user.id,
          goals: dto.goals.map((a) => ({
            goalId: a.goalId,
            assessment: a.assessment,
            comment: a.comment?.trim() ?? '',
          })),
        });
        const view = await this.view(commitmentId);
        await this.audit.record(
          {
            actor: c.user,
            action: 'commitment.review',
            entity: 'commitment',
            entityId: commitmentId,
            ip: c.ip,
            after: view.reviews.find((r) => r.id === reviewId),
          },
          m,
        );
        return view;
      },
    );
  }

  async get(id: string, user: AuthUser): Promise<CommitmentView> {
    const view = await this.view(id);
    await this.access.assertRead(user, view.unitId);
    return view;
  }

  /** Readable commitments (office and auditors: all; a secretary: their unit and the units below; others: their unit). */
  async list(q: ListCommitmentsQuery, user: AuthUser): Promise<CommitmentView[]> {
    const ids = await this.commitments.ids({
      cycleId: q.cycleId,
      unitId: q.unitId,
      scope: this.access.readableUnitsFilter.bind(this.access, user),
      limit: LIST_LIMIT,
    });
    const views = [];
    for (const id of ids) views.push(await this.view(id));
    return views;
  }

  private async cycleOf(cycleId: string, unitId: string) {
    const cycle = await this.cycles.cycleStart(cycleId);
    if (!cycle) throw invalid([{ field: 'cycleId', problem: 'unknown cycle' }]);
    if (!(await this.cycles.member(cycleId, unitId)))
      throw invalid([{ field: 'unitId', problem: 'is not a unit of this cycle' }]);
    return { startDate: DateTime.fromJSDate(cycle.starts_at).setZone(cycle.time_zone).toISODate()! };
  }

  private async view(id: string): Promise<CommitmentView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw DomainError.notFound(`commitment ${id}`);
    const c = await this.commitments.find(id);
    if (!c) throw DomainError.notFound(`commitment ${id}`);
    const goals = await this.commitments.goals(id);
    const reviewRows = await this.commitments.reviews(id);
    const assessments = await this.commitments.assessments(id);
    const reviews: ReviewView[] = reviewRows.map((r) => ({
      ...r,
      recordedAt: r.recordedAt.toISOString(),
      goals: assessments.filter((a) => a.reviewId === r.id).map(({ reviewId: _review, ...a }) => a),
    }));
    return { ...c, createdAt: c.createdAt.toISOString(), goals, reviews, fulfilment: fulfilment(goals, reviews) };
  }
}
