import type { ApiProblemDetail } from '../../api/errors';

export interface ProblemRow {
  /** The row as the spreadsheet shows it (CSV/Excel: header = 1), or the index in `units` for JSON; '' for the file. */
  row: number | '';
  column: string;
  problem: string;
}

/** `rows[4].email: not an email address` → { row: 4, column: 'email', problem }; `header[3]` → column 3 of the header. */
export function problemRows(details: ApiProblemDetail[]): ProblemRow[] {
  return details.map((d) => {
    const field = String(d.field ?? '');
    const row = /^rows\[(\d+)\](?:\.(.+))?$/.exec(field);
    if (row) return { row: Number(row[1]), column: row[2] ?? '', problem: String(d.problem ?? '') };
    const header = /^header\[(\d+)\]$/.exec(field);
    if (header) return { row: 1, column: `#${header[1]}`, problem: String(d.problem ?? '') };
    return { row: '', column: field, problem: String(d.problem ?? '') };
  });
}
