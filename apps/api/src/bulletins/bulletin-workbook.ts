import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { isUnitKind, UNIT_KINDS } from '../../../../libs/domain/src/units/unit-kind';
import type { BulletinDto } from './bulletin.dto';

export const BULLETIN_SHEET = '通报 Bulletin';
const HEADERS = ['排名', '单位代码', '单位名称', '类型', '上级单位', '逾期天数', '逾期环节'];
const WIDTHS = [7, 14, 30, 12, 24, 10, 62];
const HEADER_ROW = 4;
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** 中小学 for `school`: the secretary prints this sheet, so kinds read as the office writes them. */
const kindLabel = (kind: string) => (isUnitKind(kind) ? UNIT_KINDS[kind].split(' ')[0] : kind);

/**
 * The bulletin (通报) as a sheet a secretary prints as is: a title, the date it is counted at (in the cycle's zone),
 * a bordered table whose header row repeats on every printed page, A4 landscape, fitted to the page width.
 */
export async function bulletinWorkbook(b: BulletinDto, timeZone: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '教育党工委办公室';
  const sheet = workbook.addWorksheet(BULLETIN_SHEET, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages tall as needed
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  });
  sheet.columns = WIDTHS.map((width) => ({ width }));
  const last = String.fromCharCode(64 + HEADERS.length);

  sheet.mergeCells(`A1:${last}1`);
  const title = sheet.getCell('A1');
  title.value = `${b.cycleName} 逾期单位通报`;
  title.font = { size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 30;

  sheet.mergeCells(`A2:${last}2`);
  const asOf = DateTime.fromISO(b.asOf, { zone: timeZone });
  sheet.getCell('A2').value = `统计时间：${asOf.toFormat('yyyy年M月d日 HH:mm')}　　共 ${b.entries.length} 个单位`;
  sheet.getCell('A2').alignment = { horizontal: 'right' };

  const header = sheet.getRow(HEADER_ROW);
  header.values = HEADERS;
  header.font = { bold: true };
  header.height = 20;
  header.eachCell((cell) => {
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });

  b.entries.forEach((e, i) => {
    const row = sheet.getRow(HEADER_ROW + 1 + i);
    row.values = [
      e.rank,
      e.unitCode,
      e.unitName,
      kindLabel(e.unitKind),
      e.parentName ?? '',
      e.daysOverdue,
      e.steps.map((s) => `${s.title}（${s.daysOverdue}天）`).join('；'),
    ];
    for (let c = 1; c <= HEADERS.length; c++) {
      const cell = row.getCell(c);
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', wrapText: true, horizontal: c === 1 || c === 6 ? 'center' : 'left' };
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
