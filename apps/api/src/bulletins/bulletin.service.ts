import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import type { BulletinDto, BulletinEntryDto, OverdueListDto } from './bulletin.dto';
import { bulletinWorkbook } from './bulletin-workbook';

const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEADERS = ['排名 Rank', '单位代码 Code', '单位名称 Unit', '类型 Kind', '上级单位 Parent', '逾期天数 Days overdue', '逾期环节 Overdue steps'];

/**
 * The bulletin list (通报) of a cycle: units escalated to the office — a step on the bulletin rung
 * (unit_step_status.on_bulletin) or with an office escalation notice for its current due date — whose step is
 * still open or returned. Ranked by days overdue (most first), then by unit code.
 */
@Injectable()
export class BulletinService {
  constructor(private readonly db: Db) {}

  async bulletin(cycleId: string, asOfText?: string): Promise<BulletinDto> {
    const cycle = await this.cycle(cycleId);
    const asOf = asOfText ? new Date(asOfText) : new Date();
    const rows = await this.db.query(
      `SELECT u.code, u.name, u.kind, p.name AS parent_name, s.step_key, s.title, s.stage_key, s.due_at, s.status
         FROM unit_step_status s
         JOIN unit u ON u.id = s.unit_id
         LEFT JOIN unit p ON p.id = u.parent_id
        WHERE s.cycle_id = $1 AND s.status IN ('open', 'returned') AND s.due_at < $2
          AND (s.on_bulletin OR EXISTS (
                SELECT 1 FROM notice n WHERE n.cycle_id = s.cycle_id AND n.unit_id = s.unit_id AND n.step_key = s.step_key
                   AND n.kind = 'escalation' AND n.audience = 'office' AND n.due_at = s.due_at))
        ORDER BY u.code, s.due_at, s.step_key`,
      [cycleId, asOf],
    );
    const byUnit = new Map<string, BulletinEntryDto>();
    for (const r of rows) {
      const daysOverdue = Math.floor((asOf.getTime() - new Date(r.due_at).getTime()) / DAY);
      let entry = byUnit.get(r.code);
      if (!entry) {
        entry = { rank: 0, unitCode: r.code, unitName: r.name, unitKind: r.kind, parentName: r.parent_name, daysOverdue: 0, steps: [] };
        byUnit.set(r.code, entry);
      }
      entry.steps.push({ stepKey: r.step_key, title: r.title, stageKey: r.stage_key, dueAt: new Date(r.due_at).toISOString(), daysOverdue, status: r.status });
      entry.daysOverdue = Math.max(entry.daysOverdue, daysOverdue);
    }
    const entries = [...byUnit.values()].sort((a, b) => b.daysOverdue - a.daysOverdue || a.unitCode.localeCompare(b.unitCode));
    entries.forEach((e, i) => (e.rank = i + 1));
    return { cycleId, cycleName: cycle.name, timeZone: cycle.time_zone, asOf: asOf.toISOString(), entries };
  }

  /** Every open or returned step past due, most days late first (then unit code), with its escalation rung. */
  async overdue(cycleId: string, asOfText: string | undefined, limit = 500): Promise<OverdueListDto> {
    const cycle = await this.cycle(cycleId);
    const asOf = asOfText ? new Date(asOfText) : new Date();
    const where = `s.cycle_id = $1 AND s.status IN ('open', 'returned') AND s.due_at < $2`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM unit_step_status s WHERE ${where}`, [cycleId, asOf]);
    const rows = await this.db.query(
      `SELECT s.unit_id, u.code, u.name, u.kind, p.name AS parent_name, s.step_key, s.title, s.stage_key, s.status, s.due_at,
              s.escalation_level, s.on_bulletin
         FROM unit_step_status s JOIN unit u ON u.id = s.unit_id LEFT JOIN unit p ON p.id = u.parent_id
        WHERE ${where} ORDER BY s.due_at, u.code, s.step_key LIMIT $3`,
      [cycleId, asOf, limit],
    );
    return {
      cycleId,
      cycleName: cycle.name,
      timeZone: cycle.time_zone,
      asOf: asOf.toISOString(),
      total,
      items: rows.map((r: any) => ({
        unitId: r.unit_id,
        unitCode: r.code,
        unitName: r.name,
        unitKind: r.kind,
        parentName: r.parent_name,
        stepKey: r.step_key,
        stepTitle: r.title,
        stageKey: r.stage_key,
        status: r.status,
        dueAt: new Date(r.due_at).toISOString(),
        daysOverdue: Math.floor((asOf.getTime() - new Date(r.due_at).getTime()) / DAY),
        escalationLevel: r.escalation_level,
        onBulletin: r.on_bulletin,
      })),
    };
  }

  private async cycle(cycleId: string): Promise<{ name: string; time_zone: string }> {
    if (!UUID.test(cycleId)) throw DomainError.validation('id must be a cycle id', [{ field: 'id', problem: 'must be a UUID' }]);
    const [cycle] = await this.db.query(`SELECT name, time_zone FROM campaign_cycle WHERE id = $1`, [cycleId]);
    if (!cycle) throw DomainError.notFound(`cycle ${cycleId}`);
    return cycle;
  }

  async export(cycleId: string, format: 'xlsx' | 'csv', asOf?: string): Promise<{ body: Buffer; contentType: string; filename: string }> {
    const b = await this.bulletin(cycleId, asOf);
    const table = b.entries.map((e) => [
      e.rank, e.unitCode, e.unitName, e.unitKind, e.parentName ?? '', e.daysOverdue,
      e.steps.map((s) => `${s.title}（${s.daysOverdue}天）`).join('；'),
    ]);
    const filename = `bulletin-${cycleId}.${format}`;
    if (format === 'csv') {
      // BOM: Excel (common in the offices) opens UTF-8 CSV with Chinese text correctly only with it.
      const csv = [HEADERS, ...table].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
      return { body: Buffer.from('\uFEFF' + csv, 'utf8'), contentType: 'text/csv; charset=utf-8', filename };
    }
    return { body: await bulletinWorkbook(b, b.timeZone), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
  }
}

function csvCell(value: unknown): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
