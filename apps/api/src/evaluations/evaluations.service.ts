import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { derivedUuid, IdempotencyService } from '../idempotency/idempotency.service';
import { planEvaluationReminder } from '../../../../activities/notices/plan-evaluation-reminder';
import { EvaluationReminderStarter } from './evaluation-reminder-starter';
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
    private readonly reminders: EvaluationReminderStarter,
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

  /** Reads only: the questions for an unused token inside the window; otherwise just the state, so the page can say why. */
  async formForToken(token: string) {
    const [t] = await this.db.query(
      `SELECT t.used, e.title, e.kind, e.form, e.opens_at, e.closes_at, now() AS now
         FROM evaluation_token t JOIN evaluation e ON e.id = t.evaluation_id WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    if (!t) throw new DomainError(ErrorCode.Unauthorized, 'unknown evaluation token', [{ field: 'token', problem: 'is not a valid token' }]);
    const state = t.used ? 'used' : t.now < t.opens_at ? 'not_open' : t.now >= t.closes_at ? 'closed' : 'open';
    return {
      title: t.title,
      kind: t.kind,
      opensAt: t.opens_at.toISOString(),
      closesAt: t.closes_at.toISOString(),
      state,
      questions: state === 'open' ? (t.form as Form).questions : [],
    };
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
      `SELECT t.unit_id, u.code, u.name, count(*)::int AS issued, count(*) FILTER (WHERE used)::int AS used
         FROM evaluation_token t JOIN unit u ON u.id = t.unit_id WHERE evaluation_id = $1 ${filter} GROUP BY t.unit_id, u.code, u.name ORDER BY u.code`,
      params,
    );
    const responses: { unit_id: string; answers: Record<string, unknown> }[] = await this.db.query(`SELECT unit_id, answers FROM evaluation_response WHERE evaluation_id = $1 ${filter}`, params);
    const units = tokens.map((t: { unit_id: string; code: string; name: string; issued: number; used: number }) => {
      const mine = responses.filter((r) => r.unit_id === t.unit_id).map((r) => r.answers);
      const shown = mine.length >= MIN_RESPONSES_SHOWN;
      return {
        unitId: t.unit_id,
        unitCode: t.code,
        unitName: t.name,
        issued: t.issued,
        responded: mine.length,
        responseRate: t.issued ? mine.length / t.issued : 0,
        questions: shown ? aggregate(evaluation.form, mine) : null,
        ...(shown ? {} : { withheld: `fewer than ${MIN_RESPONSES_SHOWN} responses: aggregates are withheld so that no single answer can be read off` }),
      };
    });
    return { evaluationId, title: evaluation.title, kind: evaluation.kind, opensAt: evaluation.opens_at.toISOString(), closesAt: evaluation.closes_at.toISOString(), questions: evaluation.form.questions, units };
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
    const result = await this.idempotency.run({ actor: caller.user.id, key, route: `POST /api/evaluations/${evaluationId}/reminders`, request: { unitId } }, async (m) => {
      const evaluation = await this.evaluationOrThrow(evaluationId);
      if (evaluation.closes_at.getTime() <= Date.now()) {
        throw new DomainError(ErrorCode.Conflict, `the evaluation closed at ${evaluation.closes_at.toISOString()}: nobody can answer any more`, [{ field: 'evaluationId', problem: 'the evaluation is closed' }]);
      }
      if (unitId && !(await m.query(`SELECT 1 FROM evaluation_token WHERE evaluation_id = $1 AND unit_id = $2 LIMIT 1`, [evaluationId, unitId])).length) {
        throw DomainError.validation('no tokens were issued for this unit', [{ field: 'unitId', problem: 'has no tokens in this evaluation' }]);
      }
      const rows: { recipient: string; unit_id: string }[] = await m.query(
        // a CTE so the driver returns the rows (TypeORM turns a bare UPDATE's result into [rows, count])
        `WITH reminded AS (
           UPDATE evaluation_token SET reminders = reminders + 1, last_reminded_at = now()
            WHERE evaluation_id = $1 AND NOT used AND recipient IS NOT NULL AND ($2::uuid IS NULL OR unit_id = $2)
            RETURNING recipient, unit_id
         ) SELECT recipient, unit_id FROM reminded`,
        [evaluationId, unitId ?? null],
      );
      const units: { unit_id: string }[] = await m.query(
        `SELECT DISTINCT unit_id FROM evaluation_token WHERE evaluation_id = $1 AND NOT used AND ($2::uuid IS NULL OR unit_id = $2) ORDER BY unit_id`,
        [evaluationId, unitId ?? null],
      );
      let deliveries = 0;
      for (const u of units) {
        deliveries += (await planEvaluationReminder(m, { evaluationId, unitId: u.unit_id, round, closesAt: evaluation.closes_at, cycleId: evaluation.cycle_id })).length;
      }
      const result = {
        evaluationId,
        reminded: rows.length,
        units: units.length,
        deliveries,
        recipients: rows.map((r) => ({ unitId: r.unit_id, recipient: r.recipient })).sort((a, b) => a.recipient.localeCompare(b.recipient)),
      };
      await this.audit.record({ actor: caller.user, action: 'evaluation.remind', entity: 'evaluation', entityId: evaluationId, ip: caller.ip, after: { unitId: unitId ?? null, reminded: rows.length, units: units.length, deliveries, round } }, m);
      return result;
    });
    await this.reminders.start(evaluationId, round);
    return result;
  }

  /** Every evaluation, newest first, with tokens issued and used (readable units only for unit accounts). */
  async list(user: AuthUser) {
    const scope = this.access.readableUnitsFilter(user, 't.unit_id', 1);
    const rows = await this.db.query(
      `SELECT e.id, e.title, e.kind, e.cycle_id, e.opens_at, e.closes_at,
              count(t.token_hash)::int AS issued, count(t.token_hash) FILTER (WHERE t.used)::int AS responded, count(DISTINCT t.unit_id)::int AS units
         FROM evaluation e LEFT JOIN evaluation_token t ON t.evaluation_id = e.id ${scope ? `AND ${scope.sql}` : ''}
        GROUP BY e.id ORDER BY e.opens_at DESC, e.id LIMIT 500`,
      scope?.params ?? [],
    );
    return rows.map((r: any) => ({
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
    const rows = await this.db.query(
      `SELECT t.unit_id, u.code, u.name, count(*)::int AS issued, count(*) FILTER (WHERE NOT t.used)::int AS unused,
              coalesce(jsonb_agg(jsonb_build_object('recipient', t.recipient, 'reminders', t.reminders, 'lastRemindedAt', t.last_reminded_at) ORDER BY t.recipient)
                FILTER (WHERE NOT t.used AND t.recipient IS NOT NULL), '[]') AS recipients
         FROM evaluation_token t JOIN unit u ON u.id = t.unit_id
        WHERE t.evaluation_id = $1 GROUP BY t.unit_id, u.code, u.name ORDER BY u.code`,
      [evaluationId],
    );
    return {
      evaluationId,
      units: rows.map((r: any) => ({
        unitId: r.unit_id,
        unitCode: r.code,
        unitName: r.name,
        issued: r.issued,
        unused: r.unused,
        recipients: r.recipients.map((x: any) => ({ recipient: x.recipient, reminders: x.reminders, lastRemindedAt: x.lastRemindedAt ? new Date(x.lastRemindedAt).toISOString() : null })),
      })),
    };
  }

  private async evaluationOrThrow(id: string): Promise<{ title: string; kind: string; form: Form; opens_at: Date; closes_at: Date; cycle_id: string | null }> {
    const [row] = await this.db.query(`SELECT title, kind, form, opens_at, closes_at, cycle_id FROM evaluation WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound(`evaluation ${id}`);
    return row;
  }
}
