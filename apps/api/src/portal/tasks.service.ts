import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { StepContextService } from '../submissions/step-context';
import { readableBy, UnitRepository } from '../units/unit.repository';
import { BUCKET_ORDER, bucketOf, daysLeft, daysOverdue } from './task-buckets';
import { TaskRepository, type TaskRow } from './task.repository';
import type { PortalUnitDto, TaskDetailDto, TaskDto, TaskListDto, TasksQuery } from './tasks.dto';

/** At most this many steps per answer: a secretary of a large 党总支 over several cycles stays well below it. */
const MAX_TASKS = 1000;

/**
 * The units' to-do list ("my tasks") from the read model: every step of the caller's unit — a secretary's whole
 * subtree — in running or paused cycles, bucketed by what the unit has to do about it now.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly units: UnitRepository,
    private readonly access: UnitAccessService,
    private readonly steps: StepContextService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async list(q: TasksQuery, user: AuthUser, now = new Date()): Promise<TaskListDto> {
    if (q.unitId) await this.access.assertRead(user, q.unitId);
    const rows = await this.tasks.list(
      {
        activeOnly: (q.scope ?? 'active') === 'active',
        unitId: q.unitId ?? null,
        readable: readableBy(this.access, user),
      },
      MAX_TASKS,
    );
    const tasks = rows.map((r) => toTask(r, now));
    tasks.sort((a, b) => BUCKET_ORDER.indexOf(a.bucket as never) - BUCKET_ORDER.indexOf(b.bucket as never));
    return { now: now.toISOString(), units: await this.unitsOf(user), tasks };
  }

  /** One step of one unit (by unit id or code) with what to hand in: the page a notice links to. */
  async detail(
    cycleId: string,
    unit: string,
    stepKey: string,
    user: AuthUser,
    now = new Date(),
  ): Promise<TaskDetailDto> {
    const unitId = await this.units.idOfRef(unit);
    if (!unitId) throw DomainError.notFound(`unit ${unit}`);
    await this.access.assertRead(user, unitId);
    const row = await this.tasks.find(cycleId, unitId, stepKey);
    if (!row) throw DomainError.notFound(`step ${stepKey} of unit ${unit} in cycle ${cycleId}`);
    const { step } = await this.steps.resolve(cycleId, unitId, stepKey);
    return {
      ...toTask(row, now),
      deliverables: step.deliverables.map((d) => ({
        key: d.key,
        kind: d.kind,
        title: d.title,
        required: d.required,
        minHours: d.minHours,
        publish: d.publish,
      })),
      reviewRequired: step.reviewRequired,
      canWrite: this.access.canWrite(user, unitId),
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
    if (!user.unitId) return [];
    const rows = await this.units.refs(readableBy(this.access, user), user.unitId, MAX_TASKS);
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, own: r.id === user.unitId }));
  }
}

function toTask(r: TaskRow, now: Date): TaskDto {
  const dueAt = new Date(r.dueAt);
  const bucket = bucketOf(r.status, dueAt, now);
  const late = bucket === 'overdue';
  return {
    cycleId: r.cycleId,
    cycleName: r.cycleName,
    campaignName: r.campaignName,
    timeZone: r.timeZone,
    unitId: r.unitId,
    unitCode: r.unitCode,
    unitName: r.unitName,
    stepKey: r.stepKey,
    stageKey: r.stageKey,
    stageTitle: r.stageTitle ?? r.stageKey,
    title: r.title,
    required: r.required,
    status: r.status,
    bucket,
    opensAt: new Date(r.opensAt).toISOString(),
    dueAt: dueAt.toISOString(),
    daysLeft: daysLeft(dueAt, now, r.timeZone),
    daysOverdue: late ? daysOverdue(dueAt, now) : 0,
    escalationLevel: r.escalationLevel,
    submissionId: r.submissionId,
    submissionStatus: r.submissionStatus,
    currentVersion: Number(r.currentVersion),
    reviewComment: r.reviewComment ?? null,
    returnedAt: r.returnedAt ? new Date(r.returnedAt).toISOString() : null,
  };
}
