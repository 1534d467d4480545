import { Injectable } from '@nestjs/common';
import type { EvaluationForm } from '../../../../libs/domain/src/evaluations/evaluation-form';
import { Db } from '../../../../libs/persistence/src';
import type { UnitScope } from '../../../../libs/persistence/src/unit-scope';

export interface EvaluationRow {
  title: string;
  kind: string;
  form: EvaluationForm;
  opens_at: Date;
  closes_at: Date;
  cycle_id: string | null;
}

/** A token with its evaluation's window, as the database's clock sees it now. */
export interface TokenStateRow {
  used: boolean;
  title: string;
  kind: string;
  form: EvaluationForm;
  opens_at: Date;
  closes_at: Date;
  now: Date;
}

export interface LockedTokenRow extends Omit<TokenStateRow, 'title' | 'kind'> {
  unit_id: string;
  evaluation_id: string;
}

export interface UnitTokenCountRow {
  unit_id: string;
  code: string;
  name: string;
  issued: number;
  used: number;
}

export interface ResponseRow {
  unit_id: string;
  answers: Record<string, unknown>;
}

export interface EvaluationListRow {
  id: string;
  title: string;
  kind: string;
  cycle_id: string | null;
  opens_at: Date;
  closes_at: Date;
  issued: number;
  responded: number;
  units: number;
}

export interface PendingUnitRow {
  unit_id: string;
  code: string;
  name: string;
  issued: number;
  unused: number;
  recipients: { recipient: string; reminders: number; lastRemindedAt: string | null }[];
}

/**
 * evaluation, evaluation_token and evaluation_response. Tokens are stored by their sha-256 only, and a response has
 * no link to the token that answered it (no token, no time): no statement here joins the two.
 */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly db: Db) {}

  async insert(e: {
    id: string;
    title: string;
    kind: string;
    cycleId: string | null;
    form: EvaluationForm;
    opensAt: string;
    closesAt: string;
    createdBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO evaluation (id, title, kind, cycle_id, form, opens_at, closes_at, created_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
      [e.id, e.title, e.kind, e.cycleId, JSON.stringify(e.form), e.opensAt, e.closesAt, e.createdBy],
    );
  }

  async find(id: string): Promise<EvaluationRow | undefined> {
    return (
      await this.db.query<EvaluationRow>(
        `SELECT title, kind, form, opens_at, closes_at, cycle_id FROM evaluation WHERE id = $1`,
        [id],
      )
    )[0];
  }

  /** One batch of tokens of a unit; `recipients[i]` (or null) belongs to `tokenHashes[i]`. */
  async insertTokens(batch: {
    evaluationId: string;
    unitId: string;
    batchId: string;
    tokenHashes: string[];
    recipients: (string | null)[];
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO evaluation_token (token_hash, evaluation_id, unit_id, batch_id, recipient)
       SELECT h, $2, $3, $4, r FROM unnest($1::text[], $5::text[]) AS t(h, r)`,
      [batch.tokenHashes, batch.evaluationId, batch.unitId, batch.batchId, batch.recipients],
    );
  }

  async tokenState(tokenHash: string): Promise<TokenStateRow | undefined> {
    return (
      await this.db.query<TokenStateRow>(
        `SELECT t.used, e.title, e.kind, e.form, e.opens_at, e.closes_at, now() AS now
           FROM evaluation_token t JOIN evaluation e ON e.id = t.evaluation_id WHERE t.token_hash = $1`,
        [tokenHash],
      )
    )[0];
  }

  /** The token, locked until the transaction ends (two answers with one token: the second waits, then finds it used). */
  async lockToken(tokenHash: string): Promise<LockedTokenRow | undefined> {
    return (
      await this.db.query<LockedTokenRow>(
        `SELECT t.used, t.unit_id, e.id AS evaluation_id, e.form, e.opens_at, e.closes_at, now() AS now
           FROM evaluation_token t JOIN evaluation e ON e.id = t.evaluation_id WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [tokenHash],
      )
    )[0];
  }

  async markTokenUsed(tokenHash: string): Promise<void> {
    await this.db.query(`UPDATE evaluation_token SET used = true WHERE token_hash = $1`, [tokenHash]);
  }

  async insertResponse(r: {
    id: string;
    evaluationId: string;
    unitId: string;
    answers: Record<string, unknown>;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO evaluation_response (id, evaluation_id, unit_id, answers) VALUES ($1, $2, $3, $4::jsonb)`,
      [r.id, r.evaluationId, r.unitId, JSON.stringify(r.answers)],
    );
  }

  /** Tokens issued and used per unit (one unit, or the units in `scope`), by unit code. */
  tokenCounts(evaluationId: string, only: { unitId: string } | { scope: UnitScope }): Promise<UnitTokenCountRow[]> {
    const filter = unitFilter(only, 't.unit_id');
    return this.db.query<UnitTokenCountRow>(
      `SELECT t.unit_id, u.code, u.name, count(*)::int AS issued, count(*) FILTER (WHERE used)::int AS used
         FROM evaluation_token t JOIN unit u ON u.id = t.unit_id WHERE evaluation_id = $1 ${filter.sql} GROUP BY t.unit_id, u.code, u.name ORDER BY u.code`,
      [evaluationId, ...filter.params],
    );
  }

  responses(evaluationId: string, only: { unitId: string } | { scope: UnitScope }): Promise<ResponseRow[]> {
    const filter = unitFilter(only, 'unit_id');
    return this.db.query<ResponseRow>(
      `SELECT unit_id, answers FROM evaluation_response WHERE evaluation_id = $1 ${filter.sql}`,
      [evaluationId, ...filter.params],
    );
  }

  async hasTokensOf(evaluationId: string, unitId: string): Promise<boolean> {
    return (
      (
        await this.db.query(`SELECT 1 FROM evaluation_token WHERE evaluation_id = $1 AND unit_id = $2 LIMIT 1`, [
          evaluationId,
          unitId,
        ])
      ).length > 0
    );
  }

  /** Counts one more reminder on every unused token with a recipient (of one unit, or all); returns who was reminded. */
  countReminders(evaluationId: string, unitId: string | null): Promise<{ recipient: string; unit_id: string }[]> {
    return this.db.query(
      // a CTE so the driver returns the rows (TypeORM turns a bare UPDATE's result into [rows, count])
      `WITH reminded AS (
         UPDATE evaluation_token SET reminders = reminders + 1, last_reminded_at = now()
          WHERE evaluation_id = $1 AND NOT used AND recipient IS NOT NULL AND ($2::uuid IS NULL OR unit_id = $2)
          RETURNING recipient, unit_id
       ) SELECT recipient, unit_id FROM reminded`,
      [evaluationId, unitId],
    );
  }

  /** Units (one, or all) with unused tokens, by id. */
  async unitsWithUnusedTokens(evaluationId: string, unitId: string | null): Promise<string[]> {
    const rows = await this.db.query<{ unit_id: string }>(
      `SELECT DISTINCT unit_id FROM evaluation_token WHERE evaluation_id = $1 AND NOT used AND ($2::uuid IS NULL OR unit_id = $2) ORDER BY unit_id`,
      [evaluationId, unitId],
    );
    return rows.map((r) => r.unit_id);
  }

  /** Every evaluation, newest first, with its tokens counted within `scope`. */
  list(scope: UnitScope): Promise<EvaluationListRow[]> {
    const filter = scope('t.unit_id', 1);
    return this.db.query<EvaluationListRow>(
      `SELECT e.id, e.title, e.kind, e.cycle_id, e.opens_at, e.closes_at,
              count(t.token_hash)::int AS issued, count(t.token_hash) FILTER (WHERE t.used)::int AS responded, count(DISTINCT t.unit_id)::int AS units
         FROM evaluation e LEFT JOIN evaluation_token t ON t.evaluation_id = e.id ${filter ? `AND ${filter.sql}` : ''}
        GROUP BY e.id ORDER BY e.opens_at DESC, e.id LIMIT 500`,
      filter?.params ?? [],
    );
  }

  pendingByUnit(evaluationId: string): Promise<PendingUnitRow[]> {
    return this.db.query<PendingUnitRow>(
      `SELECT t.unit_id, u.code, u.name, count(*)::int AS issued, count(*) FILTER (WHERE NOT t.used)::int AS unused,
              coalesce(jsonb_agg(jsonb_build_object('recipient', t.recipient, 'reminders', t.reminders, 'lastRemindedAt', t.last_reminded_at) ORDER BY t.recipient)
                FILTER (WHERE NOT t.used AND t.recipient IS NOT NULL), '[]') AS recipients
         FROM evaluation_token t JOIN unit u ON u.id = t.unit_id
        WHERE t.evaluation_id = $1 GROUP BY t.unit_id, u.code, u.name ORDER BY u.code`,
      [evaluationId],
    );
  }

  /** The pending deliveries of one reminder round (its notices' dedupe keys end with the round). */
  reminderDeliveries(evaluationId: string, round: string): Promise<{ id: string; channel: string }[]> {
    return this.db.query(
      `SELECT d.id, d.channel FROM notice_delivery d JOIN notice n ON n.id = d.notice_id
        WHERE n.evaluation_id = $1 AND n.dedupe_key LIKE $2 AND d.status = 'pending' ORDER BY d.id`,
      [evaluationId, `evaluation-reminder:${evaluationId}:%:${round}`],
    );
  }
}

/** `AND <column> = $2`, or the caller's scope from $2 on; nothing when every unit is readable. */
function unitFilter(
  only: { unitId: string } | { scope: UnitScope },
  column: string,
): { sql: string; params: unknown[] } {
  if ('unitId' in only) return { sql: `AND ${column} = $2`, params: [only.unitId] };
  const scope = only.scope(column, 2);
  return scope ? { sql: `AND ${scope.sql}`, params: scope.params } : { sql: '', params: [] };
}
