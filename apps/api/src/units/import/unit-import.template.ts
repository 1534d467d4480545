import ExcelJS from 'exceljs';
import { UNIT_KINDS, unitKindKeys } from '../../../../../libs/domain/src';
import { IMPORT_FIELDS } from './unit-import.rows';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What each column means, shown as a comment on its header cell (the header itself must stay the field name). */
const COLUMN_NOTES: Record<(typeof IMPORT_FIELDS)[number], string> = {
  code: '单位编码（唯一，必填）',
  name: '单位名称（必填）',
  kind: `单位类型（必填）：${unitKindKeys.join(' / ')}`,
  parentCode: '上级单位编码（顶级单位留空）',
  secretaryName: '书记姓名',
  email: '电子邮箱',
  phone: '手机号',
  webhookUrl: '企业微信/钉钉机器人地址',
  contacts: '其他联系人（JSON 数组，可留空）',
  timeZone: '时区（留空为 Asia/Shanghai）',
};

/**
 * The Excel template for unit imports: the header row the importer expects (row 1), one example row per level of a
 * small tree, a drop-down of unit kinds on the kind column, and the meaning of each column as a cell comment.
 */
export async function unitImportTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('units', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = IMPORT_FIELDS.map((key) => ({
    header: key,
    key,
    width: key === 'name' ? 28 : key === 'contacts' || key === 'webhookUrl' ? 36 : 16,
  }));
  IMPORT_FIELDS.forEach((key, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.note = COLUMN_NOTES[key];
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F4FF' } };
  });
  sheet.addRow({
    code: 'xh-edu',
    name: '徐汇区教育党工委',
    kind: 'office',
    secretaryName: '张华',
    email: 'office@xh.example.cn',
  });
  sheet.addRow({
    code: 'xh-gb1',
    name: '第一党总支',
    kind: 'general_branch',
    parentCode: 'xh-edu',
    secretaryName: '王芳',
  });
  sheet.addRow({
    code: 'xh-s01',
    name: '徐汇中学党支部',
    kind: 'school',
    parentCode: 'xh-gb1',
    secretaryName: '李明',
    email: 's01@xh.example.cn',
    phone: '13800000001',
  });
  const kindColumn = String.fromCharCode(65 + IMPORT_FIELDS.indexOf('kind'));
  for (let row = 2; row <= 2000; row++) {
    sheet.getCell(`${kindColumn}${row}`).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: [`"${unitKindKeys.join(',')}"`],
      showErrorMessage: true,
      error: `单位类型须为：${unitKindKeys.map((k) => `${k}（${UNIT_KINDS[k].split(' ')[0]}）`).join('、')}`,
    };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
