import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError, FieldProblem } from '../../../../../libs/domain/src';
import { IMPORT_FIELDS, ImportField, RawImportRow } from './unit-import.rows';

/**
 * CSV → rows. Rows are labelled as a spreadsheet shows them: the header is row 1, so the first unit is `rows[2]`.
 * Columns missing from the header leave the stored values alone on re-import; unknown columns are an error.
 */
export function rowsFromCsv(csv: string): { rows: RawImportRow[]; problems: FieldProblem[] } {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    throw DomainError.validation('the CSV could not be read', [{ field: 'body', problem: (error as Error).message }]);
  }
  return rowsFromTable(
    records.map((cells, i) => ({ n: i + 1, cells })),
    'CSV',
  );
}

/**
 * Excel (.xlsx) → rows, from the first worksheet, with the same header rules as CSV. Rows keep the numbers Excel
 * shows (empty rows are skipped but not renumbered), so `rows[7].email` is cell row 7 in the office's own file.
 */
export async function rowsFromXlsx(file: Buffer): Promise<{ rows: RawImportRow[]; problems: FieldProblem[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch (error) {
    throw DomainError.validation('the Excel file could not be read', [
      { field: 'body', problem: `not an .xlsx workbook (${(error as Error).message})` },
    ]);
  }
  const sheet = workbook.worksheets[0];
  const records: { n: number; cells: string[] }[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text.trim());
    // Formatted but empty cells at the end of a row (borders, a fill) are not values.
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    if (cells.length) records.push({ n, cells });
  });
  return rowsFromTable(records, 'Excel sheet');
}

/** A table with a header row (CSV or a worksheet) → rows labelled by their row number (`rows[n]`). */
function rowsFromTable(
  records: { n: number; cells: string[] }[],
  what: string,
): { rows: RawImportRow[]; problems: FieldProblem[] } {
  if (records.length - 1 > MAX_IMPORT_ROWS) tooManyRows(records.length - 1, 'body');
  if (records.length === 0)
    throw DomainError.validation(`the ${what} is empty`, [
      { field: 'body', problem: 'needs a header row and at least one unit' },
    ]);
  const header = records[0].cells.map((h) => h.trim());
  const problems: FieldProblem[] = [];
  header.forEach((h, i) => {
    if (!(IMPORT_FIELDS as readonly string[]).includes(h))
      problems.push({
        field: `header[${i + 1}]`,
        problem: `unknown column "${h}" (allowed: ${IMPORT_FIELDS.join(', ')})`,
      });
    else if (header.indexOf(h) !== i)
      problems.push({ field: `header[${i + 1}]`, problem: `column "${h}" appears twice` });
  });
  for (const required of ['code', 'name', 'kind'] as const) {
    if (!header.includes(required)) problems.push({ field: 'header', problem: `missing column "${required}"` });
  }
  if (records.length === 1) problems.push({ field: 'body', problem: 'no unit rows after the header' });
  // Problems with the header are about the file, not its rows: report them alone rather than one per row.
  if (problems.length) throw DomainError.validation(`the ${what} header has ${problems.length} problem(s)`, problems);
  const rows = records.slice(1).map(({ n, cells }) => {
    const label = `rows[${n}]`;
    if (cells.length > header.length)
      problems.push({ field: label, problem: `has ${cells.length} cells, the header has ${header.length} columns` });
    const values: RawImportRow['values'] = {};
    header.forEach((h, c) => (values[h as ImportField] = cells[c] ?? ''));
    return { label, values };
  });
  return { rows, problems };
}

/** Rows of one import: the largest district trees have tens of thousands of units. */
export const MAX_IMPORT_ROWS = 100_000;

function tooManyRows(count: number, field: string): never {
  throw DomainError.validation(`the import has ${count} units; at most ${MAX_IMPORT_ROWS} at once`, [
    { field, problem: `must list at most ${MAX_IMPORT_ROWS} units (got ${count}); split the import` },
  ]);
}

/** JSON body `{ units: [...] }` → rows labelled by their index in `units`: `rows[0]` is the first. */
export function rowsFromJson(body: unknown): { rows: RawImportRow[]; problems: FieldProblem[] } {
  const units = (body as { units?: unknown } | null)?.units;
  if (!Array.isArray(units) || units.length === 0) {
    throw DomainError.validation('nothing to import', [
      { field: 'units', problem: 'must be a non-empty array of units' },
    ]);
  }
  if (units.length > MAX_IMPORT_ROWS) tooManyRows(units.length, 'units');
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body as object))
    if (key !== 'units') problems.push({ field: key, problem: 'unknown field' });
  const rows = units.map((u: unknown, i) => {
    const label = `rows[${i}]`;
    if (typeof u !== 'object' || u === null || Array.isArray(u)) {
      problems.push({ field: label, problem: 'must be an object' });
      return { label, values: {} };
    }
    for (const key of Object.keys(u)) {
      if (!(IMPORT_FIELDS as readonly string[]).includes(key))
        problems.push({ field: `${label}.${key}`, problem: `unknown field (allowed: ${IMPORT_FIELDS.join(', ')})` });
    }
    return { label, values: u as RawImportRow['values'] };
  });
  return { rows, problems };
}
