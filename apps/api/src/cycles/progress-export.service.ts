import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { UNIT_KINDS, type UnitKind } from '../../../../libs/domain/src';
import { CycleQueriesService } from './cycle-queries.service';
import {
  MATRIX_CELL_STATUSES,
  type MatrixCellCode,
  type MatrixCellStatus,
  type ProgressMatrixQuery,
} from './dto/progress-matrix.dto';
import { ProgressMatrixService } from './progress-matrix.service';

/** What the office reads in a printed progress sheet, and the console's colour for it (apps/console/src/shared/status.ts). */
export const STATUS_CELL: Record<MatrixCellStatus, { zh: string; argb: string | null }> = {
  not_in_plan: { zh: '', argb: null },
  not_open: { zh: '未开始', argb: 'FFD9D9D9' },
  open: { zh: '进行中', argb: 'FF91CAFF' },
  submitted: { zh: '已提交', argb: 'FF87E8DE' },
  returned: { zh: '已退回', argb: 'FFFFD591' },
  accepted: { zh: '已通过', argb: 'FFB7EB8F' },
  due_soon: { zh: '即将到期', argb: 'FFFFE58F' },
  overdue: { zh: '已逾期', argb: 'FFFFA39E' },
  escalated: { zh: '已督办', argb: 'FFFF7875' },
  waived: { zh: '已免报', argb: 'FFBFBFBF' },
  cancelled: { zh: '已取消', argb: 'FFF0F0F0' },
};

const FIXED_HEADERS = ['单位编码 Code', '单位名称 Unit', '类型 Kind', '当前阶段 Stage'];
const kindZh = (kind: string) => (UNIT_KINDS[kind as UnitKind] ?? kind).split(' (')[0];

/** The progress matrix as an Excel workbook: one row per unit, one column per step, the status in words and colour. */
@Injectable()
export class ProgressExportService {
  constructor(
    private readonly matrix: ProgressMatrixService,
    private readonly queries: CycleQueriesService,
  ) {}

  async workbook(
    cycleId: string,
    q: Omit<ProgressMatrixQuery, 'offset' | 'limit'>,
  ): Promise<{ body: Buffer; filename: string }> {
    const cycle = await this.queries.row(cycleId);
    const m = await this.matrix.matrix(cycleId, { ...q, offset: 0, limit: 100_000 });
    const stageTitle = new Map(m.stages.map((s) => [s.key, s.title]));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('进度 Progress', {
      views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    sheet.addRow([`${cycle.name as string} — 进度 (as of ${m.asOf})`]).font = { bold: true, size: 13 };
    const header = sheet.addRow([
      ...FIXED_HEADERS,
      ...m.steps.map((s) => `${stageTitle.get(s.stageKey) ?? s.stageKey}：${s.title}`),
    ]);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle' };
    for (const u of m.units) {
      const row = sheet.addRow([
        u.code,
        u.name,
        kindZh(u.kind),
        u.stage ? (stageTitle.get(u.stage) ?? u.stage) : '',
        ...[...u.cells].map((c) => STATUS_CELL[MATRIX_CELL_STATUSES[c as MatrixCellCode]].zh),
      ]);
      [...u.cells].forEach((c, i) => {
        const argb = STATUS_CELL[MATRIX_CELL_STATUSES[c as MatrixCellCode]].argb;
        if (argb)
          row.getCell(FIXED_HEADERS.length + 1 + i).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
      });
    }
    sheet.columns.forEach((c, i) => (c.width = i < FIXED_HEADERS.length ? [14, 28, 12, 14][i] : 12));
    const thin = { style: 'thin' as const };
    sheet.eachRow(
      (row, n) =>
        n > 1 &&
        row.eachCell(
          { includeEmpty: true },
          (cell) => (cell.border = { top: thin, left: thin, bottom: thin, right: thin }),
        ),
    );

    const totals = workbook.addWorksheet('汇总 Totals');
    const statuses = (Object.keys(STATUS_CELL) as MatrixCellStatus[]).filter((s) => s !== 'not_in_plan');
    totals.addRow(['分组 Group', '名称 Name', '合计 Cells', ...statuses.map((s) => STATUS_CELL[s].zh)]).font = {
      bold: true,
    };
    for (const [key, c] of Object.entries(m.totals.byStage))
      totals.addRow(['阶段', stageTitle.get(key) ?? key, c.cells, ...statuses.map((s) => c.byStatus[s] ?? 0)]);
    for (const [key, c] of Object.entries(m.totals.byKind))
      totals.addRow(['类型', kindZh(key), c.cells, ...statuses.map((s) => c.byStatus[s] ?? 0)]);
    totals.columns.forEach((c, i) => (c.width = i === 1 ? 20 : 10));
    return { body: Buffer.from(await workbook.xlsx.writeBuffer()), filename: `progress-${cycleId}.xlsx` };
  }
}
