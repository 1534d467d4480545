import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { Caller } from '../submissions/submissions.service';
import { throwIfProblems } from '../submissions/step-context';
import type { CreateEvaluationDto, IssueTokensDto, RespondDto } from './evaluation.dto';
import { aggregate, answerProblems, Form, normaliseForm } from './evaluation-form';

/**
 * Aggregates of fewer responses are withheld: the office knows who has not answered (reminders), so with one or two
 * respondents an aggregate would give away individual answers.
 */
export const MIN_RESPONSES_SHOWN = 3;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

@Injectable()
export class EvaluationsService {
  constructor(
    private readonly db: Db,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateEvaluationDto, caller: Caller, key: string) {
    const { form, problems } = normaliseForm(dto.questions);
    if (Date.parse(dto.closesAt) <= Date.parse(dto.opensAt)) problems.push({ field: 'closesAt', problem: 'must be after opensAt' });
    throwIfProblems('invalid evaluation', problems);
    return this.idempotency.run({ actor: caller.user.id, key, route: 'POST /api/evaluations', request: dto }, async (m) => {
      if (dto.cycleId && !(await m.query(`SELECT 1 FROM campaign_cycle WHERE id = $1`, [dto.cycleId])).length) {
        throw DomainError.validation('unknown cycle', [{ field: 'cycleId', problem: 'unknown cycle' }]);
      }
      const id = randomUUID();
      await m.query(`INSERT INTO evaluation (id, title, kind, cycle_id, form, opens_at, closes_at, created_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`, [
        id,
        dto.title,
        dto.kind,
        dto.cycleId ?? null,
        JSON.stringify(form),
        dto.opensAt,
        dto.closesAt,
        caller.user.id,
      ]);
      const view = { id, title: dto.title, kind: dto.kind, cycleId: dto.cycleId ?? null, opensAt: new Date(dto.opensAt).toISOString(), closesAt: new Date(dto.closesAt).toISOString(), form };
      await this.audit.record({ actor: caller.user, action: 'evaluation.create', entity: 'evaluation', entityId: id, ip: caller.ip, after: view }, m);
      return view;
    });
  }

  /**
   * Issues one-time tokens: only their sha-256 is stored. The plaintext is in this response only — a replay with the
   * same Idempotency-Key returns the batch without tokens (issuing twice would double the unit's respondents).
   */
  async issueTokens(evaluationId: string, dto: IssueTokensDto, caller: Caller, key: string) {
    const recipients = dto.recipients ?? null;
    if (!recipients && !dto.count) throw DomainError.validation('count or recipients is required', [{ field: 'count', problem: 'count or recipients is required' }]);
    if (recipients && dto.count && dto.count !== recipients.length) throw DomainError.validation('count must match recipients', [{ field: 'count', problem: 'must equal the number of recipients (or be left out)' }]);
    return this.idempotency.run(
      { actor: caller.user.id, key, route: `POST /api/evaluations/${evaluationId}/tokens`, request: dto },
      async (m) => {
        await this.evaluationOrThrow(evaluationId);
        if (!(await m.query(`SELECT 1 FROM unit WHERE id = $1`, [dto.unitId])).length) throw DomainError.validation('unknown unit', [{ field: 'unitId', problem: 'unknown unit' }]);
        const batchId = randomUUID();
        const n = recipients?.length ?? dto.count!;
        const tokens = Array.from({ length: n }, () => randomBytes(24).toString('base64url'));
        await m.query(
          `INSERT INTO evaluation_token (token_hash, evaluation_id, unit_id, batch_id, recipient)
           SELECT h, $2, $3, $4, r FROM unnest($1::text[], $5::text[]) AS t(h, r)`,
          [tokens.map(hashToken), evaluationId, dto.unitId, batchId, recipients ?? tokens.map(() => null)],
        );
        const batch = { batchId, evaluationId, unitId: dto.unitId, issued: n };
        await this.audit.record({ actor: caller.user, action: 'evaluation.issue_tokens', entity: 'evaluation', entityId: evaluationId, ip: caller.ip, after: batch }, m);
        return { ...batch, tokens: tokens.map((token, i) => ({ token, recipient: recipients?.[i] ?? null })) };
      },
      ({ tokens: _secret, ...batch }) => ({ ...batch, tokens: null, note: 'tokens are shown only once; issue a new batch if they were lost' }),
    );
  }

  /**
   * Records one anonymous answer. The token is marked used and the answers stored in another table without any link
   * to it (no token, no time, random id). Used or unknown token, or outside the window → refused, nothing written.
   */
  async respond(dto: RespondDto) {
    const tokenHash = hashToken(dto.token);
    return this.db.transaction(async (m) => {
      const [t] = await m.query(
        `SELECT t.used, t.unit_id, e.id AS evaluation_id, e.form, e.opens_at, e.closes_at, now() AS now
           FROM evaluation_token t JOIN evaluation e ON e.id = t.evaluation_id WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [tokenHash],
      );
      if (!t) throw new DomainError(ErrorCode.Unauthorized, 'unknown evaluation token', [{ field: 'token', problem: 'is not a valid token' }]);
      if (t.used) throw new DomainError(ErrorCode.Conflict, 'this token has already been used: each token answers once', [{ field: 'token', problem: 'has already been used' }]);
      if (t.now < t.opens_at) throw new DomainError(ErrorCode.Conflict, `the evaluation opens at ${t.opens_at.toISOString()}`, [{ field: 'token', problem: 'the evaluation is not open yet' }]);
      if (t.now >= t.closes_at) throw new DomainError(ErrorCode.Conflict, `the evaluation closed at ${t.closes_at.toISOString()}`, [{ field: 'token', problem: 'the evaluation is closed' }]);
      throwIfProblems('invalid answers', answerProblems(t.form as Form, dto.answers));
      await m.query(`UPDATE evaluation_token SET used = true WHERE token_hash = $1`, [tokenHash]);
      await m.query(`INSERT INTO evaluation_response (id, evaluation_id, unit_id, answers) VALUES ($1, $2, $3, $4::jsonb)`, [randomUUID(), t.evaluation_id, t.unit_id, JSON.stringify(dto.answers)]);
      // audited without token or answers: the log must not become the link the tables avoid
      await this.audit.record({ actor: null, actorEmail: 'anonymous respondent', action: 'evaluation.respond', entity: 'evaluation', entityId: t.evaluation_id }, m);
      return { accepted: true };
    });
  }

  async results(evaluationId: string, unitId: string | undefined, user: AuthUser) {
    const evaluation = await this.evaluationOrThrow(evaluationId);
    if (unitId) await this.access.assertRead(user, unitId);
    const params: unknown[] = [evaluationId];
    let filter = '';
    if (unitId) {
      params.push(unitId);
      filter = `AND unit_id = $2`;
    } else {
      const scope = this.access.readableUnitsFilter(user, 'unit_id', 2);
      if (scope) {
        filter = `AND ${scope.sql}`;
        params.push(...scope.params);
      }
    }
    const tokens = await this.db.query(
      `SELECT unit_id, count(*)::int AS issued, count(*) FILTER (WHERE used)::int AS used FROM evaluation_token WHERE evaluation_id = $1 ${filter} GROUP BY unit_id`,
      params,
    );
    const responses: { unit_id: string; answers: Record<string, unknown> }[] = await this.db.query(`SELECT unit_id, answers FROM evaluation_response WHERE evaluation_id = $1 ${filter}`, params);
    const units = tokens.map((t: { unit_id: string; issued: number; used: number }) => {
      const mine = responses.filter((r) => r.unit_id === t.unit_id).map((r) => r.answers);
      const shown = mine.length >= MIN_RESPONSES_SHOWN;
      return {
        unitId: t.unit_id,
        issued: t.issued,
        responded: mine.length,
        responseRate: t.issued ? mine.length / t.issued : 0,
        questions: shown ? aggregate(evaluation.form, mine) : null,
        ...(shown ? {} : { withheld: `fewer than ${MIN_RESPONSES_SHOWN} responses: aggregates are withheld so that no single answer can be read off` }),
      };
    });
    return { evaluationId, title: evaluation.title, kind: evaluation.kind, closesAt: evaluation.closes_at.toISOString(), units };
  }

  /** Marks a reminder on every unused token with a recipient and returns those recipients — never who answered what. */
  async remind(evaluationId: string, unitId: string | undefined, caller: Caller, key: string) {
    return this.idempotency.run({ actor: caller.user.id, key, route: `POST /api/evaluations/${evaluationId}/reminders`, request: { unitId } }, async (m) => {
      await this.evaluationOrThrow(evaluationId);
      const rows: { recipient: string; unit_id: string }[] = await m.query(
        // a CTE so the driver returns the rows (TypeORM turns a bare UPDATE's result into [rows, count])
        `WITH reminded AS (
           UPDATE evaluation_token SET reminders = reminders + 1, last_reminded_at = now()
            WHERE evaluation_id = $1 AND NOT used AND recipient IS NOT NULL AND ($2::uuid IS NULL OR unit_id = $2)
            RETURNING recipient, unit_id
         ) SELECT recipient, unit_id FROM reminded`,
        [evaluationId, unitId ?? null],
      );
      const result = { evaluationId, reminded: rows.length, recipients: rows.map((r) => ({ unitId: r.unit_id, recipient: r.recipient })).sort((a, b) => a.recipient.localeCompare(b.recipient)) };
      await this.audit.record({ actor: caller.user, action: 'evaluation.remind', entity: 'evaluation', entityId: evaluationId, ip: caller.ip, after: { unitId: unitId ?? null, reminded: rows.length } }, m);
      return result;
    });
  }

  private async evaluationOrThrow(id: string): Promise<{ title: string; kind: string; form: Form; closes_at: Date }> {
    const [row] = await this.db.query(`SELECT title, kind, form, closes_at FROM evaluation WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound(`evaluation ${id}`);
    return row;
  }
}
