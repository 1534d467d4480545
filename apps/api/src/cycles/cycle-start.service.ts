import { Injectable, Logger } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { ConfigService } from '@nestjs/config';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode, ErrorReason } from '../../../../libs/domain/src';
import { initialProgress, type InitialProgress } from '../../../../libs/domain/src/plan/initial-progress';
import { canonicalJson } from '../../../../libs/domain/src/template';
import { ProgressCellsRepository } from '../../../../libs/persistence/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import { differingFields } from '../idempotency/idempotency.service';
import { cycleWorkflowId, unitWorkflowId } from '../../../../workflows/campaign/types';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleTemplateSource } from './cycle-template.source';
import { CYCLE_WORKFLOW_TYPE, cycleWorkflowInput } from './cycle-workflows';
import type { StartCycleDto } from './dto/start-cycle.dto';
import { selectUnits } from './unit-selection';

/** The columns a repeated start request is checked against (raw row). */
interface StartedCycleRow {
  id: string;
  template_key: string;
  name: string;
  status: string;
  /** The canonical start request (null for cycles started before it was kept). */
  request: Record<string, unknown> | null;
}

export interface StartOutcome {
  /** false: the same request was made before; its cycle is returned and nothing new was started. */
  created: boolean;
  cycle: Awaited<ReturnType<CycleQueriesService['get']>>;
}

@Injectable()
export class CycleStartService {
  private readonly log = new Logger(CycleStartService.name);

  constructor(
    private readonly db: Db,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly config: ConfigService<Env, true>,
    private readonly templates: CycleTemplateSource,
    private readonly queries: CycleQueriesService,
  ) {}

  /**
   * Records the cycle, its plans and its units in one transaction, then starts the coordinator workflow. The request
   * key (Idempotency-Key, or a hash of the body) makes a retry — also after a failed workflow start — find the same
   * cycle and (re)start the coordinator under the same derived workflow id, so nothing is ever duplicated.
   */
  async start(dto: StartCycleDto, idempotencyKey: string | undefined, actor: string): Promise<StartOutcome> {
    const request = JSON.parse(canonicalJson(dto)) as Record<string, unknown>;
    const requestKey = idempotencyKey?.trim() ? `key:${idempotencyKey.trim()}` : `body:${createHash('sha256').update(canonicalJson(request)).digest('hex')}`;
    const existing = await this.findByRequest(requestKey);
    if (existing) return { created: false, cycle: await this.resume(existing, request) };

    const pinned = await this.templates.pin(dto.templateKey, dto.templateVersion);
    const startsAt = parseStart(dto.startsAt, pinned.timeZone);
    const id = randomUUID();
    const startedAt = new Date();
    const inserted = await this.db.transaction(async (tx) => {
      const units = await selectUnits(tx, dto.units);
      const kinds = [...new Set(units.map((u) => u.kind))].sort();
      const plans = this.templates.plans(pinned, startsAt, kinds);
      const [row] = await tx.query(
        `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection,
                                     request_key, workflow_id, unit_count, created_by, request)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'starting', $8, $9, $10, $11, $12, $13)
         ON CONFLICT (request_key) DO NOTHING RETURNING id`,
        [id, dto.name, pinned.id, pinned.key, pinned.version, startsAt, pinned.timeZone, JSON.stringify(dto.units), requestKey, cycleWorkflowId(id), units.length, actor, JSON.stringify(request)],
      );
      if (!row) return false; // the same request is being started concurrently: the other one wins
      await tx.query(
        `INSERT INTO cycle_plan (cycle_id, unit_kind, plan) SELECT $1, k, p FROM unnest($2::text[], $3::jsonb[]) AS t(k, p)`,
        [id, kinds, kinds.map((k) => JSON.stringify(plans.get(k)))],
      );
      await new ProgressCellsRepository(tx).fillPlanSteps(id);
      const initial = new Map(kinds.map((k) => [k, initialProgress(plans.get(k)!, startedAt.getTime())]));
      const cells = new Map([...initial].map(([k, p]) => [k, p.steps.map((st) => (st.status === 'open' ? 'o' : '0')).join('')]));
      // One statement whatever the size; WITH ORDINALITY numbers the units 0..n-1 in code order.
      await tx.query(
        `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, current_stage, cells)
         SELECT $1, t.unit_id, t.n - 1, t.kind, t.workflow_id, 'pending', t.stage, t.cells
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(unit_id, kind, workflow_id, stage, cells, n)`,
        [
          id, units.map((u) => u.id), units.map((u) => u.kind), units.map((u) => unitWorkflowId(id, u.id)),
          units.map((u) => initial.get(u.kind)!.currentStage), units.map((u) => cells.get(u.kind)!),
        ],
      );
      await writeInitialSteps(tx, id, initial);
      return true;
    });
    if (!inserted) return { created: false, cycle: await this.resume((await this.findByRequest(requestKey))!, request) };
    await this.startCoordinator(id, await this.unitCount(id));
    return { created: true, cycle: await this.queries.get(id) };
  }

  private async findByRequest(requestKey: string): Promise<StartedCycleRow | undefined> {
    const [row] = await this.db.query('SELECT id, template_key, name, status, request FROM campaign_cycle WHERE request_key = $1', [requestKey]);
    return row;
  }

  /**
   * A repeated request: the same key must mean the same whole request (canonical JSON: name, template, version,
   * start date, unit selection) — otherwise 422 naming the fields that differ. A cycle whose start failed half-way
   * is started now.
   */
  private async resume(row: StartedCycleRow, request: Record<string, unknown>) {
    const differing = row.request
      ? differingFields(row.request, request).flatMap((f) => (f === 'units' ? differingFields(row.request?.units, request.units).map((k) => `units.${k}`) : [f]))
      : // cycles started before the request was kept: what was stored then
        [...(row.template_key !== request.templateKey ? ['templateKey'] : []), ...(row.name !== request.name ? ['name'] : [])];
    if (differing.length) {
      throw new DomainError(
        ErrorCode.InvalidState,
        `Idempotency-Key already used for cycle ${row.id} ("${row.name}", template ${row.template_key}) with a different request: ${differing.join(', ')} differ; use a new key to start another cycle`,
        differing.map((field) => ({ field, problem: `differs from the request that started cycle ${row.id} with this Idempotency-Key` })),
        ErrorReason.IdempotencyKeyReused,
      );
    }
    if (row.status === 'starting') await this.startCoordinator(row.id, await this.unitCount(row.id));
    return this.queries.get(row.id);
  }

  private async unitCount(cycleId: string): Promise<number> {
    const [{ n }] = await this.db.query('SELECT unit_count AS n FROM campaign_cycle WHERE id = $1', [cycleId]);
    return n;
  }

  private async startCoordinator(cycleId: string, unitCount: number): Promise<void> {
    try {
      await this.temporal.workflow.start(CYCLE_WORKFLOW_TYPE, {
        taskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
        workflowId: cycleWorkflowId(cycleId),
        args: [cycleWorkflowInput(cycleId, unitCount)],
        // A finished coordinator is never started again by a late retry.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      this.log.error(`cycle ${cycleId}: starting the coordinator failed: ${(error as Error).message}`);
      throw new DomainError(
        ErrorCode.Unavailable,
        `cycle ${cycleId} is recorded but its workflow could not be started (${(error as Error).message}); repeat the same request to retry — nothing will be duplicated`,
      );
    }
  }
}

/**
 * Every unit's step rows as of the start (seq 0), in one statement: the plan's steps per unit kind, joined to the
 * cycle's units by kind. Progress is complete from the start answer on; unit workflows overwrite rows as they change
 * them (their writes carry seq ≥ 1, and a write only replaces an older seq).
 */
async function writeInitialSteps(tx: EntityManager, cycleId: string, initial: Map<string, InitialProgress>): Promise<void> {
  const rows = [...initial].flatMap(([kind, p]) => p.steps.map((st) => ({ kind, ...st })));
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await tx.query(
    `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at,
                                   opened_at, escalation_level, on_bulletin, seq)
     SELECT cu.cycle_id, cu.unit_id, s.step_key, s.stage_key, s.title, s.required, s.status, s.opens_at, s.due_at, s.due_at, s.opened_at, 0, false, 0
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
            AS s(unit_kind, step_key, stage_key, title, required, status, opens_at, due_at, opened_at)
       JOIN cycle_unit cu ON cu.cycle_id = $1 AND cu.unit_kind = s.unit_kind`,
    [cycleId, col('kind'), col('stepKey'), col('stageKey'), col('title'), col('required'), col('status'), col('opensAt'), col('dueAt'), col('openedAt')],
  );
}

/** A bare date is 00:00 in the template's zone; a date-time without offset is read in that zone too. */
export function parseStart(value: string, zone: string): Date {
  const dt = DateTime.fromISO(value, { zone, setZone: false });
  if (!dt.isValid) throw DomainError.validation('bad start date', [{ field: 'startsAt', problem: `not a valid date: ${dt.invalidExplanation ?? value}` }]);
  return dt.toJSDate();
}
