import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError } from '../../../../libs/domain/src';
import { canonicalJson } from '../../../../libs/domain/src/template';
import { CycleQueriesService } from './cycle-queries.service';
import {
  MATRIX_CELL_STATUSES,
  type MatrixUnitRowDto,
  type ProgressMatrixDto,
  type ProgressMatrixQuery,
} from './dto/progress-matrix.dto';
import {
  columnsOf,
  shownCellsReader,
  totalsOf,
  withAnyCode,
  type KindLayout,
  type Validity,
} from './progress-matrix.cells';
import { ProgressMatrixRepository } from './progress-matrix.repository';

const HOUR = 3_600_000;
/** Part of every ETag: a change to the answer's shape or meaning makes every ETag issued before it stale. */
const ANSWER_FORMAT = 'matrix-2';

/** A matrix answer for HTTP: the serialised body once, or "not modified" for the ETag the client already holds. */
export type MatrixAnswer = { notModified: true; etag: string } | { notModified: false; etag: string; json: string };

/**
 * The progress matrix (units × steps) for the office's console, compact enough for a 10,000-unit district.
 *
 * The console asks again every few seconds; most of those times nothing changed. The ETag says what an answer was
 * made of (a fingerprint of its rows, the query) and the interval of instants that show the same cells, so a
 * request carrying it is answered 304 after one aggregate statement — no rows read, computed, serialised or sent.
 */
@Injectable()
export class ProgressMatrixService {
  constructor(
    private readonly repository: ProgressMatrixRepository,
    private readonly queries: CycleQueriesService,
  ) {}

  async answer(cycleId: string, q: ProgressMatrixQuery, ifNoneMatch?: string): Promise<MatrixAnswer> {
    const at = q.asOf ? Date.parse(q.asOf) : Date.now();
    // Read before everything the answer is made of: rows newer than the fingerprint only cost a needless 200 later,
    // never a stale 304.
    const fingerprint = await this.repository.fingerprint(cycleId);
    if (fingerprint === undefined) await this.queries.row(cycleId); // unknown cycle: its 404
    const tag = createHash('sha1')
      .update(`${ANSWER_FORMAT}|${fingerprint}|${canonicalJson({ ...q, asOf: undefined })}`)
      .digest('base64url');
    const held = heldEtag(ifNoneMatch, tag, at);
    if (held) return { notModified: true, etag: held };
    const { dto, validity } = await this.compute(cycleId, q, at);
    return { notModified: false, etag: etagOf(tag, validity), json: JSON.stringify(dto) };
  }

  async matrix(cycleId: string, q: ProgressMatrixQuery): Promise<ProgressMatrixDto> {
    return (await this.compute(cycleId, q, q.asOf ? Date.parse(q.asOf) : Date.now())).dto;
  }

  private async compute(
    cycleId: string,
    q: ProgressMatrixQuery,
    asOfMs: number,
  ): Promise<{ dto: ProgressMatrixDto; validity: Validity }> {
    // One statement after the other: a request holds at most one pooled connection (docs/RELIABILITY.md).
    const cycle = await this.queries.row(cycleId);
    const plans = await this.repository.plans(cycleId);
    const { stages, columns } = columnsOf(
      plans.map((p) => p.plan),
      q.stage,
    );
    if (q.subtree && !(await this.repository.unitCodeExists(q.subtree))) {
      throw DomainError.validation('unknown subtree root', [
        { field: 'subtree', problem: `no unit with code "${q.subtree}"` },
      ]);
    }
    const stored = await this.repository.rows(cycleId, { kinds: q.kind, subtree: q.subtree, search: q.search });
    const index = new Map(columns.map((c, i) => [c.key, i]));
    const layouts = new Map<string, KindLayout>(
      plans.map((p) => [p.unit_kind, { columnOf: p.step_keys.map((k) => index.get(k) ?? -1), due: p.step_due }]),
    );
    const shown = shownCellsReader(+new Date(cycle.startsAt), asOfMs, (q.dueSoonHours ?? 72) * HOUR, columns.length);
    const rows: MatrixUnitRowDto[] = stored.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind,
      stage: r.stage,
      cells: shown.read(r, layouts.get(r.kind)),
    }));

    const wanted = q.status?.length
      ? Object.entries(MATRIX_CELL_STATUSES)
          .filter(([, name]) => q.status!.includes(name))
          .map(([code]) => code)
      : undefined;
    const matching = wanted ? withAnyCode(rows, wanted) : rows;
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 1000;
    const dto: ProgressMatrixDto = {
      cycleId,
      asOf: new Date(asOfMs).toISOString(),
      legend: { ...MATRIX_CELL_STATUSES },
      stages,
      steps: columns.map(({ key, stageKey, title, opensAt, dueAt }) => ({ key, stageKey, title, opensAt, dueAt })),
      offset,
      limit,
      units: matching.slice(offset, offset + limit),
      totals: totalsOf(matching, columns, stages),
    };
    return { dto, validity: shown.validity };
  }
}

/** `W/"<tag>.<after>.<until>"`: weak, since two answers under one ETag differ in their `asOf`; open ends are empty. */
function etagOf(tag: string, v: Validity): string {
  const end = (ms: number) => (Number.isFinite(ms) ? String(ms) : '');
  return `W/"${tag}.${end(v.after)}.${end(v.until)}"`;
}

/** The ETag of If-None-Match that still describes the answer at `atMs` (same tag, `atMs` inside its interval). */
function heldEtag(ifNoneMatch: string | undefined, tag: string, atMs: number): string | undefined {
  for (const m of (ifNoneMatch ?? '').matchAll(/(?:W\/)?"([\w-]+)\.(-?\d*)\.(-?\d*)"/g)) {
    const after = m[2] ? Number(m[2]) : -Infinity;
    const until = m[3] ? Number(m[3]) : Infinity;
    if (m[1] === tag && after < atMs && atMs <= until) return etagOf(tag, { after, until });
  }
  return undefined;
}
