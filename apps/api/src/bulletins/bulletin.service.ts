import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../../../../libs/domain/src';
import { DAY_MS as DAY } from '../../../../libs/domain/src/plan/unit-plan';
import { CycleRepository, type CycleRow } from '../cycles/cycle.repository';
import { ReadModelRepository } from '../cycles/read-model.repository';
import type { BulletinDto, BulletinEntryDto, OverdueListDto } from './bulletin.dto';
import { BulletinRepository } from './bulletin.repository';
import { bulletinWorkbook } from './bulletin-workbook';

const HEADERS = [
  '排名 Rank',
  '单位代码 Code',
  '单位名称 Unit',
  '类型 Kind',
  '上级单位 Parent',
  '逾期天数 Days overdue',
  '逾期环节 Overdue steps',
];

/**
 * The bulletin list (通报) of a cycle: units escalated to the office — a step on the bulletin rung
 * (unit_step_status.on_bulletin) or with an office escalation notice for its current due date — whose step is
 * still open or returned. Ranked by days overdue (most first), then by unit code.
 */
@Injectable()
export class BulletinService {
  constructor(
    private readonly bulletins: BulletinRepository,
    private readonly cycles: CycleRepository,
    private readonly readModel: ReadModelRepository,
  ) {}

  async bulletin(cycleId: string, asOfText?: string): Promise<BulletinDto> {
    const cycle = await this.cycle(cycleId);
    const asOf = asOfText ? new Date(asOfText) : new Date();
    const rows = await this.bulletins.escalatedSteps(cycleId, asOf);
    const byUnit = new Map<string, BulletinEntryDto>();
    for (const r of rows) {
      const daysOverdue = Math.floor((asOf.getTime() - new Date(r.dueAt).getTime()) / DAY);
      let entry = byUnit.get(r.code);
      if (!entry) {
        entry = {
          rank: 0,
          unitCode: r.code,
          unitName: r.name,
          unitKind: r.kind,
          parentName: r.parentName,
          daysOverdue: 0,
          steps: [],
        };
        byUnit.set(r.code, entry);
      }
      entry.steps.push({
        stepKey: r.stepKey,
        title: r.title,
        stageKey: r.stageKey,
        dueAt: new Date(r.dueAt).toISOString(),
        daysOverdue,
        status: r.status,
      });
      entry.daysOverdue = Math.max(entry.daysOverdue, daysOverdue);
    }
    const entries = [...byUnit.values()].sort(
      (a, b) => b.daysOverdue - a.daysOverdue || a.unitCode.localeCompare(b.unitCode),
    );
    entries.forEach((e, i) => (e.rank = i + 1));
    return { cycleId, cycleName: cycle.name, timeZone: cycle.timeZone, asOf: asOf.toISOString(), entries };
  }

  /** Every open or returned step past due, most days late first (then unit code), with its escalation rung. */
  async overdue(cycleId: string, asOfText: string | undefined, limit = 500): Promise<OverdueListDto> {
    const cycle = await this.cycle(cycleId);
    const asOf = asOfText ? new Date(asOfText) : new Date();
    const total = await this.readModel.countOverdue(cycleId, asOf);
    const rows = await this.bulletins.overdueSteps(cycleId, asOf, limit);
    return {
      cycleId,
      cycleName: cycle.name,
      timeZone: cycle.timeZone,
      asOf: asOf.toISOString(),
      total,
      items: rows.map((r) => ({
        unitId: r.unitId,
        unitCode: r.code,
        unitName: r.name,
        unitKind: r.kind,
        parentName: r.parentName,
        stepKey: r.stepKey,
        stepTitle: r.title,
        stageKey: r.stageKey,
        status: r.status,
        dueAt: new Date(r.dueAt).toISOString(),
        daysOverdue: Math.floor((asOf.getTime() - new Date(r.dueAt).getTime()) / DAY),
        escalationLevel: r.escalationLevel,
        onBulletin: r.onBulletin,
      })),
    };
  }

  private async cycle(cycleId: string): Promise<CycleRow> {
    if (!isUUID(cycleId, 'loose'))
      throw DomainError.validation('id must be a cycle id', [{ field: 'id', problem: 'must be a UUID' }]);
    const cycle = await this.cycles.find(cycleId);
    if (!cycle) throw DomainError.notFound(`cycle ${cycleId}`);
    return cycle;
  }

  async export(
    cycleId: string,
    format: 'xlsx' | 'csv',
    asOf?: string,
  ): Promise<{ body: Buffer; contentType: string; filename: string }> {
    const b = await this.bulletin(cycleId, asOf);
    const table = b.entries.map((e) => [
      e.rank,
      e.unitCode,
      e.unitName,
      e.unitKind,
      e.parentName ?? '',
      e.daysOverdue,
      e.steps.map((s) => `${s.title}（${s.daysOverdue}天）`).join('；'),
    ]);
    const filename = `bulletin-${cycleId}.${format}`;
    if (format === 'csv') {
      // BOM: Excel (common in the offices) opens UTF-8 CSV with Chinese text correctly only with it.
      const csv = [HEADERS, ...table].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
      return { body: Buffer.from('\uFEFF' + csv, 'utf8'), contentType: 'text/csv; charset=utf-8', filename };
    }
    return {
      body: await bulletinWorkbook(b, b.timeZone),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename,
    };
  }
}

function csvCell(value: unknown): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
