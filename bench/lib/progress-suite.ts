/**
 * The progress matrix at district size: a cycle of P units × 40 steps in four stages, written straight into the read
 * model (the workflows' part is measured by the cycle suite), then GET /api/cycles/:id/progress/matrix through HTTP
 * against the same SQL statement run raw on a plain pg connection, alternating, medians of several rounds.
 */
import { ProgressMatrixRepository } from '../../apps/api/src/cycles/progress-matrix.repository';
import { columnsOf } from '../../apps/api/src/cycles/progress-matrix.cells';
import { seedMatrixCycle, type Query } from './matrix-seed';
import { call, median, type Stack } from './stack';

const CYCLE = '00000000-0000-4000-8000-00000000b001';
const ROUNDS = 7;

export interface ProgressFigures {
  progressUnits: number;
  progressCells: number;
  matrixFullMs: number;
  matrixFullBytes: number;
  rawSqlFullMs: number;
  matrixPageMs: number;
  rawSqlPageMs: number;
  progressSummaryMs: number;
}

export async function progressSuite(stack: Stack, units: number, log: (m: string) => void): Promise<ProgressFigures> {
  log(`progress: seeding ${units} units × 40 steps`);
  const q: Query = async (text, params) => (await stack.sql.query(text, params)).rows;
  const { plan } = await seedMatrixCycle(q, { units, codePrefix: 'M', cycleId: CYCLE });
  const asOf = new Date();
  const keys = columnsOf([plan]).columns.map((c) => c.key);
  // The same statement the api runs for the rows, on a plain pg connection.
  const rows = new ProgressMatrixRepository({ query: q });
  const raw = async () => {
    const t = performance.now();
    await rows.rows(CYCLE);
    return performance.now() - t;
  };
  const http = async (query: string) => {
    const t = performance.now();
    const res = await fetch(
      `${stack.apiUrl}/api/cycles/${CYCLE}/progress/matrix?asOf=${encodeURIComponent(asOf.toISOString())}&${query}`,
      { headers: { authorization: `Bearer ${stack.token}` } },
    );
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`matrix: ${res.status}`);
    return { ms: performance.now() - t, bytes: body.byteLength };
  };
  const summary = async () => {
    const t = performance.now();
    await call(stack, 'GET', `/api/cycles/${CYCLE}/progress`);
    return performance.now() - t;
  };
  await raw();
  await http('limit=100000');
  const full: number[] = [],
    rawFull: number[] = [],
    page: number[] = [],
    rawPage: number[] = [],
    sums: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    rawFull.push(await raw());
    const r = await http('limit=100000');
    full.push(r.ms);
    bytes = r.bytes;
    rawPage.push(await raw());
    page.push((await http('status=overdue,escalated&limit=200')).ms);
    sums.push(await summary());
  }
  const round = (x: number) => +x.toFixed(1);
  return {
    progressUnits: units,
    progressCells: units * keys.length,
    matrixFullMs: round(median(full)),
    matrixFullBytes: bytes,
    rawSqlFullMs: round(median(rawFull)),
    matrixPageMs: round(median(page)),
    rawSqlPageMs: round(median(rawPage)),
    progressSummaryMs: round(median(sums)),
  };
}
