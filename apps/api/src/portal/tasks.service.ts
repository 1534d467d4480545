import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';
import { Db } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { StepContextService } from '../submissions/step-context';
import { BUCKET_ORDER, bucketOf, daysLeft, daysOverdue, type StepStatus } from './task-buckets';
import type { PortalUnitDto, TaskDetailDto, TaskDto, TaskListDto, TasksQuery } from './tasks.dto';

/** At most this many steps per answer: a secretary of a large 党总支 over several cycles stays well below it. */
const MAX_TASKS = 1000;

const TASK_SELECT = `
  SELECT s.cycle_id, s.unit_id, s.step_key, s.stage_key, s.title, s.required, s.status, s.opens_at, s.due_at, s.escalation_level,
         c.name AS cycle_name, c.time_zone, COALESCE(cp.plan->>'campaignName', c.name) AS campaign_name,
         (SELECT st->>'title' FROM jsonb_array_elements(cp.plan->'stages') st WHERE st->>'key' = s.stage_key LIMIT 1) AS stage_title,
         u.code AS unit_code, u.name AS unit_name,
         sub.id AS submission_id, sub.status AS submission_status, COALESCE(sub.current_version, 0) AS current_version,
         ret.review_comment, ret.decided_at AS returned_at
    FROM unit_step_status s
    JOIN campaign_cycle c ON c.id = s.cycle_id
    JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
    JOIN unit u ON u.id = s.unit_id
    LEFT JOIN cycle_plan cp ON cp.cycle_id = s.cycle_id AND cp.unit_kind = cu.unit_kind
    LEFT JOIN submission sub ON sub.cycle_id = s.cycle_id AND sub.unit_id = s.unit_id AND sub.step_key = s.step_key
    LEFT JOIN LATERAL (
      SELECT v.review_comment, v.decided_at FROM submission_version v
       WHERE v.submission_id = sub.id AND v.decision = 'returned' ORDER BY v.version DESC LIMIT 1
    ) ret ON sub.status = 'returned'`;

/**
 * The units' to-do list ("my tasks") from the read model: every step of the caller's unit — a secretary's whole
 * subtree — in running or paused cycles, bucketed by what the unit has to do about it now.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
    private readonly steps: StepContextService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async list(q: TasksQuery, user: AuthUser, now = new Date()): Promise<TaskListDto> {
    if (q.unitId) await this.access.assertRead(user, q.unitId);
    const params: unknown[] = [];
    const where = [`c.status IN ('starting', 'running', 'paused')`, `cu.status <> 'cancelled'`];
    if ((q.scope ?? 'active') === 'active') where.push(`s.status IN ('pending', 'open', 'submitted', 'returned')`);
    if (q.unitId) {
      params.push(q.unitId);
      where.push(`s.unit_id = $${params.length}`);
    }
    const scope = this.access.readableUnitsFilter(user, 's.unit_id', params.length + 1);
    if (scope) {
      where.push(scope.sql);
      params.push(...scope.params);
    }
    const rows = await this.db.query(`${TASK_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.due_at, u.code, s.step_key LIMIT ${MAX_TASKS}`, params);
    const tasks = rows.map((r: any) => toTask(r, now));
    tasks.sort((a: TaskDto, b: TaskDto) => BUCKET_ORDER.indexOf(a.bucket as never) - BUCKET_ORDER.indexOf(b.bucket as never));
    return { now: now.toISOString(), units: await this.unitsOf(user), tasks };
  }

  /** One step of one unit (by unit id or code) with what to hand in: the page a notice links to. */
  async detail(cycleId: string, unit: string, stepKey: string, user: AuthUser, now = new Date()): Promise<TaskDetailDto> {
    const [found] = await this.db.query(`SELECT id FROM unit WHERE id::text = $1 OR code = $1`, [unit]);
    if (!found) throw DomainError.notFound(`unit ${unit}`);
    await this.access.assertRead(user, found.id);
    const [row] = await this.db.query(`${TASK_SELECT} WHERE s.cycle_id = $1 AND s.unit_id = $2 AND s.step_key = $3`, [cycleId, found.id, stepKey]);
    if (!row) throw DomainError.notFound(`step ${stepKey} of unit ${unit} in cycle ${cycleId}`);
    const { step } = await this.steps.resolve(cycleId, found.id, stepKey);
    return {
      ...toTask(row, now),
      deliverables: step.deliverables.map((d) => ({ key: d.key, kind: d.kind, title: d.title, required: d.required, minHours: d.minHours, publish: d.publish })),
      reviewRequired: step.reviewRequired,
      canWrite: this.access.canWrite(user, found.id),
      attachmentRules: {
        maxBytes: this.config.get('ATTACHMENT_MAX_BYTES', { infer: true }),
        mimeTypes: this.config
          .get('ATTACHMENT_MIME_TYPES', { infer: true })
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      },
    };
  }

  /** The caller's own unit and, for a secretary, the units below it. Office roles read everything: none listed. */
  private async unitsOf(user: AuthUser): Promise<PortalUnitDto[]> {
    const scope = this.access.readableUnitsFilter(user, 'id', 1);
    if (!scope || !user.unitId) return [];
    const rows = await this.db.query(`SELECT id, code, name FROM unit WHERE ${scope.sql} ORDER BY (id = $1) DESC, code LIMIT ${MAX_TASKS}`, scope.params);
    return rows.map((r: any) => ({ id: r.id, code: r.code, name: r.name, own: r.id === user.unitId }));
  }
}

function toTask(r: any, now: Date): TaskDto {
  const dueAt = new Date(r.due_at);
  const status = r.status as StepStatus;
  const bucket = bucketOf(status, dueAt, now);
  const late = bucket === 'overdue';
  return {
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    campaignName: r.campaign_name,
    timeZone: r.time_zone,
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    stepKey: r.step_key,
    stageKey: r.stage_key,
    stageTitle: r.stage_title ?? r.stage_key,
    title: r.title,
    required: r.required,
    status,
    bucket,
    opensAt: new Date(r.opens_at).toISOString(),
    dueAt: dueAt.toISOString(),
    daysLeft: daysLeft(dueAt, now, r.time_zone),
    daysOverdue: late ? daysOverdue(dueAt, now) : 0,
    escalationLevel: r.escalation_level,
    submissionId: r.submission_id,
    submissionStatus: r.submission_status,
    currentVersion: Number(r.current_version),
    reviewComment: r.review_comment ?? null,
    returnedAt: r.returned_at ? new Date(r.returned_at).toISOString() : null,
  };
}
