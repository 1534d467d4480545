import type { EntityManager } from 'typeorm';
import { DomainError, FieldProblem } from '../../../../libs/domain/src';
import type { UnitSelectionDto } from './dto/start-cycle.dto';

export interface SelectedUnit {
  id: string;
  kind: string;
}

/**
 * Resolves a selection to units in one query: (ids ∪ codes ∪ subtree ∪ all) ∩ kinds, ordered by code so ordinals
 * are stable. Unknown ids, codes and subtree roots are named in the 400.
 */
export async function selectUnits(db: EntityManager, sel: UnitSelectionDto): Promise<SelectedUnit[]> {
  const ids = [...new Set(sel.ids ?? [])];
  const codes = [...new Set(sel.codes ?? [])];
  if (!ids.length && !codes.length && !sel.subtreeOf && !sel.all) {
    throw DomainError.validation('no units selected', [{ field: 'units', problem: 'give ids, codes, subtreeOf or all: true' }]);
  }
  const problems: FieldProblem[] = [];
  if (ids.length) {
    const missing: { id: string }[] = await db.query(
      'SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = x.id) ORDER BY 1',
      [ids],
    );
    if (missing.length) problems.push({ field: 'units.ids', problem: `unknown unit ids: ${missing.map((m) => m.id).join(', ')}` });
  }
  if (codes.length) {
    const missing: { code: string }[] = await db.query(
      'SELECT x.code FROM unnest($1::text[]) AS x(code) WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.code = x.code) ORDER BY 1',
      [codes],
    );
    if (missing.length) problems.push({ field: 'units.codes', problem: `unknown unit codes: ${missing.map((m) => m.code).join(', ')}` });
  }
  if (sel.subtreeOf) {
    const [root] = await db.query('SELECT id FROM unit WHERE code = $1', [sel.subtreeOf]);
    if (!root) problems.push({ field: 'units.subtreeOf', problem: `unknown unit code "${sel.subtreeOf}"` });
  }
  if (problems.length) throw DomainError.validation('the unit selection names units that do not exist', problems);

  const units: SelectedUnit[] = await db.query(
    `WITH RECURSIVE subtree AS (
       SELECT id FROM unit WHERE code = $3
       UNION ALL SELECT u.id FROM unit u JOIN subtree s ON u.parent_id = s.id
     )
     SELECT u.id, u.kind FROM unit u
      WHERE ($5 OR u.id = ANY($1::uuid[]) OR u.code = ANY($2::text[]) OR u.id IN (SELECT id FROM subtree))
        AND ($4::text[] IS NULL OR u.kind = ANY($4::text[]))
      ORDER BY u.code`,
    [ids, codes, sel.subtreeOf ?? null, sel.kinds ?? null, sel.all === true],
  );
  if (!units.length) {
    throw DomainError.validation('the selection is empty', [{ field: 'units', problem: `no unit matches${sel.kinds ? ` (kinds: ${sel.kinds.join(', ')})` : ''}` }]);
  }
  return units;
}
