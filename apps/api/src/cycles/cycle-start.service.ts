import { Injectable, Logger } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DateTime } from 'luxon';
import { createHash, randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, ErrorReason } from '../../../../libs/domain/src';
import { initialProgress } from '../../../../libs/domain/src/plan/initial-progress';
import { canonicalJson } from '../../../../libs/domain/src/template';
import { differingFields } from '../idempotency/idempotency.service';
import { UnitRepository } from '../units/unit.repository';
import { cycleWorkflowId, unitWorkflowId } from '../../../../workflows/campaign/types';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleRepository, type StartedCycleRow } from './cycle.repository';
import { CycleTemplateSource } from './cycle-template.source';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import { cycleWorkflowInput } from './cycle-workflows';
import type { StartCycleDto } from './dto/start-cycle.dto';
import { ReadModelRepository } from './read-model.repository';
import { selectUnits } from './unit-selection';

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
    private readonly cycles: CycleRepository,
    private readonly readModel: ReadModelRepository,
    private readonly units: UnitRepository,
    private readonly gateway: UnitWorkflowGateway,
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
    const requestKey = idempotencyKey?.trim()
      ? `key:${idempotencyKey.trim()}`
      : `body:${createHash('sha256').update(canonicalJson(request)).digest('hex')}`;
    const existing = await this.cycles.findByRequestKey(requestKey);
    if (existing) return { created: false, cycle: await this.resume(existing, request) };

    const pinned = await this.templates.pin(dto.templateKey, dto.templateVersion);
    const startsAt = parseStart(dto.startsAt, pinned.timeZone);
    const id = randomUUID();
    const startedAt = new Date();
    const inserted = await this.db.transaction(async () => {
      const units = await selectUnits(this.units, dto.units);
      const kinds = [...new Set(units.map((u) => u.kind))].sort();
      const plans = this.templates.plans(pinned, startsAt, kinds);
      const recorded = await this.cycles.insert({
        id,
        name: dto.name,
        templateId: pinned.id,
        templateKey: pinned.key,
        templateVersion: pinned.version,
        startsAt,
        timeZone: pinned.timeZone,
        selection: dto.units,
        requestKey,
        workflowId: cycleWorkflowId(id),
        unitCount: units.length,
        createdBy: actor,
        request,
      });
      if (!recorded) return false; // the same request is being started concurrently: the other one wins
      await this.cycles.insertPlans(id, plans);
      const initial = new Map(kinds.map((k) => [k, initialProgress(plans.get(k)!, startedAt.getTime())]));
      const cells = new Map(
        [...initial].map(([k, p]) => [k, p.steps.map((st) => (st.status === 'open' ? 'o' : '0')).join('')]),
      );
      // units come in code order: their ordinals follow it
      await this.cycles.insertUnits(
        id,
        units.map((u) => ({
          unitId: u.id,
          kind: u.kind,
          workflowId: unitWorkflowId(id, u.id),
          currentStage: initial.get(u.kind)!.currentStage,
          cells: cells.get(u.kind)!,
        })),
      );
      // Every unit's step rows as of the start (seq 0): progress is complete from the start answer on.
      await this.readModel.insertInitialSteps(
        id,
        [...initial].flatMap(([kind, p]) => p.steps.map((st) => ({ kind, ...st }))),
      );
      return true;
    });
    if (!inserted)
      return { created: false, cycle: await this.resume((await this.cycles.findByRequestKey(requestKey))!, request) };
    await this.startCoordinator(id, await this.cycles.unitCount(id));
    return { created: true, cycle: await this.queries.get(id) };
  }

  /**
   * A repeated request: the same key must mean the same whole request (canonical JSON: name, template, version,
   * start date, unit selection) — otherwise 422 naming the fields that differ. A cycle whose start failed half-way
   * is started now.
   */
  private async resume(row: StartedCycleRow, request: Record<string, unknown>) {
    const differing = row.request
      ? differingFields(row.request, request).flatMap((f) =>
          f === 'units' ? differingFields(row.request?.units, request.units).map((k) => `units.${k}`) : [f],
        )
      : // cycles started before the request was kept: what was stored then
        [
          ...(row.templateKey !== request.templateKey ? ['templateKey'] : []),
          ...(row.name !== request.name ? ['name'] : []),
        ];
    if (differing.length) {
      throw new DomainError(
        ErrorCode.InvalidState,
        `Idempotency-Key already used for cycle ${row.id} ("${row.name}", template ${row.templateKey}) with a different request: ${differing.join(', ')} differ; use a new key to start another cycle`,
        differing.map((field) => ({
          field,
          problem: `differs from the request that started cycle ${row.id} with this Idempotency-Key`,
        })),
        ErrorReason.IdempotencyKeyReused,
      );
    }
    if (row.status === 'starting') await this.startCoordinator(row.id, await this.cycles.unitCount(row.id));
    return this.queries.get(row.id);
  }

  private async startCoordinator(cycleId: string, unitCount: number): Promise<void> {
    try {
      await this.gateway.startCycle(cycleWorkflowInput(cycleId, unitCount));
    } catch (error) {
      this.log.error(`cycle ${cycleId}: starting the coordinator failed: ${(error as Error).message}`);
      throw error;
    }
  }
}

/** A bare date is 00:00 in the template's zone; a date-time without offset is read in that zone too. */
export function parseStart(value: string, zone: string): Date {
  const dt = DateTime.fromISO(value, { zone, setZone: false });
  if (!dt.isValid)
    throw DomainError.validation('bad start date', [
      { field: 'startsAt', problem: `not a valid date: ${dt.invalidExplanation ?? value}` },
    ]);
  return dt.toJSDate();
}
