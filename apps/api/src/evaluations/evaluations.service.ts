import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { answerProblems, normaliseForm, unitResult } from '../../../../libs/domain/src/evaluations/evaluation-form';
import { Db } from '../../../../libs/persistence/src';
import { CycleLookupRepository } from '../../../../libs/persistence/src/repositories/cycle-lookup.repository';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { derivedUuid, IdempotencyService } from '../idempotency/idempotency.service';
import { planEvaluationReminder } from '../../../../libs/notifications/src/planning/plan-evaluation-reminder';
import { EvaluationReminderStarter } from './evaluation-reminder-starter';
import type { Caller } from '../submissions/submissions.service';
import { throwIfProblems } from '../submissions/step-context';
import type { CreateEvaluationDto, IssueTokensDto, RespondDto } from './evaluation.dto';
import { EvaluationRepository, type EvaluationRow } from './evaluation.repository';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

@Injectable()
export class EvaluationsService {
  constructor(
    private readonly db: Db,
    private readonly evaluations: EvaluationRepository,
    private readonly cycles: CycleLookupRepository,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
    private readonly reminders: EvaluationReminderStarter,
  ) {}

  async create(dto: CreateEvaluationDto, caller: Caller, key: string) {
    const { form, problems } = normaliseForm(dto.questions);
    if (Date.parse(dto.closesAt) <= Date.parse(dto.opensAt))
      problems.push({ field: 'closesAt', problem: 'must be after opensAt' });
    throwIfProblems('invalid evaluation', problems);
    return this.idempotency.run(
      { actor: caller.user.id, key, route: 'POST /api/evaluations', request: dto },
      async (m) => {
        if (dto.cycleId && !(await this.cycles.cycleExists(dto.cycleId))) {
          throw DomainError.validation('unknown cycle', [{ field: 'cycleId', problem: 'unknown cycle' }]);
        }
        const id = randomUUID();
        await this.evaluations.insert({
          id,
          title: dto.title,
          kind: dto.kind,
          cycleId: dto.cycleId ?? null,
          form: form!,
          opensAt: dto.opensAt,
          closesAt: dto.closesAt,
          createdBy: caller.user.id,
        });
        const view = {
          id,
          title: dto.title,
          kind: dto.kind,
          cycleId: dto.cycleId ?? null,
          opensAt: new Date(dto.opensAt).toISOString(),
          closesAt: new Date(dto.closesAt).toISOString(),
          form,
        };
        await this.audit.record(
          {
            actor: caller.user,
            action: 'evaluation.create',
            entity: 'evaluation',
            entityId: id,
            ip: caller.ip,
            after: view,
          },
          m,
        );
        return view;
      },
    );
  }

  /**
   * Issues one-time tokens: only their sha-256 is stored. The plaintext is in this response only — a replay with the
   * same Idempotency-Key returns the batch without tokens (issuing twice would double the unit's respondents).
   */
  async issueTokens(evaluationId: string, dto: IssueTokensDto, caller: Caller, key: string) {
    const recipients = dto.recipients ?? null;
    if (!recipients && !dto.count)
      throw DomainError.validation('count or recipients is required', [
        { field: 'count', problem: 'count or recipients is required' },
      ]);
    if (recipients && dto.count && dto.count !== recipients.length)
      throw DomainError.validation('count must match recipients', [
        { field: 'count', problem: 'must equal the number of recipients (or be left out)' },
      ]);
    return this.idempotency.run(
      { actor: caller.user.id, key, route: `POST /api/evaluations/${evaluationId}/tokens`, request: dto },
      async (m) => {
        await this.evaluationOrThrow(evaluationId);
        if (!(await this.cycles.unitExists(dto.unitId)))
          throw DomainError.validation('unknown unit', [{ field: 'unitId', problem: 'unknown unit' }]);
        const batchId = randomUUID();
        const n = recipients?.length ?? dto.count!;
        const tokens = Array.from({ length: n }, () => randomBytes(24).toString('base64url'));
        await this.evaluations.insertTokens({
          evaluationId,
          unitId: dto.unitId,
          batchId,
          tokenHashes: tokens.map(hashToken),
          recipients: recipients ?? tokens.map(() => null),
        });
        const batch = { batchId, evaluationId, unitId: dto.unitId, issued: n };
        await this.audit.record(
          {
            actor: caller.user,
            action: 'evaluation.issue_tokens',
            entity: 'evaluation',
            entityId: evaluationId,
            ip: caller.ip,
            after: batch,
          },
          m,
        );
        return { ...batch, tokens: tokens.map((token, i) => ({ token, recipient: recipients?.[i] ?? null })) };
      },
      ({ tokens: _secret, ...batch }) => ({
        ...batch,
        tokens: null,
        note: 'tokens are shown only once; issue a new batch if they were lost',
      }),
    );
  }

  /**
   * Records one anonymous answer. The token is marked used and the answers stored in another table without any link
   * to it (no token, no time, random id). Used or unknown token, or outside the window → refused, nothing written.
   */
  async respond(dto: RespondDto) {
    const tokenHash = hashToken(dto.token);
    return this.db.transaction(async (m) => {
      const t = await this.evaluations.lockToken(tokenHash);
      if (!t)
        throw new DomainError(ErrorCode.Unauthorized, 'unknown evaluation token', [
          { field: 'token', problem: 'is not a valid token' },
        ]);
      if (t.used)
        throw new DomainError(ErrorCode.Conflict, 'this token has already been used: each token answers once', [
          { field: 'token', problem: 'has already been used' },
        ]);
      if (t.now < t.opens_at)
        throw new DomainError(ErrorCode.Conflict, `the evaluation opens at ${t.opens_at.toISOString()}`, [
          { field: 'token', problem: 'the evaluation is not open yet' },
        ]);
      if (t.now >= t.closes_at)
        throw new DomainError(ErrorCode.Conflict, `the evaluation closed at ${t.closes_at.toISOString()}`, [
          { field: 'token', problem: 'the evaluation is closed' },
        ]);
      throwIfProblems('invalid answers', answerProblems(t.form, dto.answers));
      await this.evaluations.markTokenUsed(tokenHash);
      await this.evaluations.insertResponse({
        id: randomUUID(),
        evaluationId: t.evaluation_id,
        unitId: t.unit_id,
        answers: dto.answers,
      });
      // audited without token or answers: the log must not become the link the tables avoid
      await this.audit.record(
        {
          actor: null,
          actorEmail: 'anonymous respondent',
          action: 'evaluation.respond',
          entity: 'evaluation',
          entityId: t.evaluation_id,
        },
        m,
      );
      return { accepted: true };
    });
  }

  /** Reads only: the questions for an unused token inside the window; otherwise just the state, so the page can say why. */
  async formForToken(token: string) {
    const t = await this.evaluations.tokenState(hashToken(token));
    if (!t)
      throw new DomainError(ErrorCode.Unauthorized, 'unknown evaluation token', [
        { field: 'token', problem: 'is not a valid token' },
      ]);
    const state = t.used ? 'used' : t.now < t.opens_at ? 'not_open' : t.now >= t.closes_at ? 'closed' : 'open';
    return {
      title: t.title,
      kind: t.kind,
      opensAt: t.opens_at.toISOString(),
      closesAt: t.closes_at.toISOString(),
      state,
      questions: state === 'open' ? t.form.questions : [],
    };
  }

  async results(evaluationId: string, unitId: string | undefined, user: AuthUser) {
    const evaluation = await this.evaluationOrThrow(evaluationId);
    if (unitId) await this.access.assertRead(user, unitId);
    const only = unitId ? { unitId } : { scope: this.access.readableUnitsFilter.bind(this.access, user) };
    const tokens = await this.evaluations.tokenCounts(evaluationId, only);
    const responses = await this.evaluations.responses(evaluationId, only);
    const units = tokens.map((t) =>
      unitResult(
        evaluation.form,
        { unitId: t.unit_id, unitCode: t.code, unitName: t.name, issued: t.issued },
        responses.filter((r) => r.unit_id === t.unit_id).map((r) => r.answers),
      ),
    );
    return {
      evaluationId,
      title: evaluation.title,
      kind: evaluation.kind,
      opensAt: evaluation.opens_at.toISOString(),
      closesAt: evaluation.closes_at.toISOString(),
      questions: evaluation.form.questions,
      units,
    };
  }

  /**
   * Reminds the unit(s) whose tokens are not all used, through the notice machinery: one `evaluation_reminder` notice
   * per unit with its outbox rows (each unused token's e-mail recipient, and the unit's inbox), recorded in one
   * transaction with the audit row; the deliveries are started on their channel task queues only after the commit
   * (never waiting on Temporal inside a transaction). Repeating the request with the same Idempotency-Key starts any
   * delivery still pending (workflow ids are per delivery, so nothing is sent twice). Never tells who answered what.
   */
  async remind(evaluationId: string, unitId: string | undefined, caller: Caller, key: string) {
    const round = derivedUuid('evaluation-reminder', caller.user.id, key, evaluationId);
    const result = await this.idempotency.run(
      { actor: caller.user.id, key, route: `POST /api/evaluations/${evaluationId}/reminders`, request: { unitId } },
      async (m) => {
        const evaluation = await this.evaluationOrThrow(evaluationId);
        if (evaluation.closes_at.getTime() <= Date.now()) {
          throw new DomainError(
            ErrorCode.Conflict,
            `the evaluation closed at ${evaluation.closes_at.toISOString()}: nobody can answer any more`,
            [{ field: 'evaluationId', problem: 'the evaluation is closed' }],
          );
        }
        if (unitId && !(await this.evaluations.hasTokensOf(evaluationId, unitId))) {
          throw DomainError.validation('no tokens were issued for this unit', [
            { field: 'unitId', problem: 'has no tokens in this evaluation' },
          ]);
        }
        const rows = await this.evaluations.countReminders(evaluationId, unitId ?? null);
        const units = await this.evaluations.unitsWithUnusedTokens(evaluationId, unitId ?? null);
        let deliveries = 0;
        for (const u of units) {
          deliveries += (
            await planEvaluationReminder(m, {
              evaluationId,
              unitId: u,
              round,
              closesAt: evaluation.closes_at,
              cycleId: evaluation.cycle_id,
            })
          ).length;
        }
        const result = {
          evaluationId,
          reminded: rows.length,
          units: units.length,
          deliveries,
          recipients: rows
            .map((r) => ({ unitId: r.unit_id, recipient: r.recipient }))
            .sort((a, b) => a.recipient.localeCompare(b.recipient)),
        };
        await this.audit.record(
          {
            actor: caller.user,
            action: 'evaluation.remind',
            entity: 'evaluation',
            entityId: evaluationId,
            ip: caller.ip,
            after: { unitId: unitId ?? null, reminded: rows.length, units: units.length, deliveries, round },
          },
          m,
        );
        return result;
      },
    );
    await this.reminders.start(evaluationId, round);
    return result;
  }

  /** Every evaluation, newest first, with tokens issued and used (readable units only for unit accounts). */
  async list(user: AuthUser) {
    const rows = await this.evaluations.list(this.access.readableUnitsFilter.bind(this.access, user));
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      cycleId: r.cycle_id,
      opensAt: r.opens_at.toISOString(),
      closesAt: r.closes_at.toISOString(),
      issued: r.issued,
      responded: r.responded,
      units: r.units,
    }));
  }

  /**
   * Who has not answered yet: per unit, tokens issued and still unused, and the named recipients of unused tokens
   * with how often they were reminded. Anonymous tokens (no recipient) are only counted.
   */
  async pending(evaluationId: string) {
    await this.evaluationOrThrow(evaluationId);
    const rows = await this.evaluations.pendingByUnit(evaluationId);
    return {
      evaluationId,
      units: rows.map((r) => ({
        unitId: r.unit_id,
        unitCode: r.code,
        unitName: r.name,
        issued: r.issued,
        unused: r.unused,
        recipients: r.recipients.map((x) => ({
          recipient: x.recipient,
          reminders: x.reminders,
          lastRemindedAt: x.lastRemindedAt ? new Date(x.lastRemindedAt).toISOString() : null,
        })),
      })),
    };
  }

  private async evaluationOrThrow(id: string): Promise<EvaluationRow> {
    const row = await this.evaluations.find(id);
    if (!row) throw DomainError.notFound(`evaluation ${id}`);
    return row;
  }
}
