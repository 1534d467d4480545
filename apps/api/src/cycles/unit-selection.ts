import { DomainError, FieldProblem } from '../../../../libs/domain/src';
import type { SelectedUnit, UnitRepository } from '../units/unit.repository';
import type { UnitSelectionDto } from './dto/start-cycle.dto';

export type { SelectedUnit };

/** What a selection reads of the unit tree. */
export type UnitSelectionReads = Pick<UnitRepository, 'unknownIds' | 'unknownCodes' | 'idOfCode' | 'select'>;

/**
 * Resolves a selection to units: (ids ∪ codes ∪ subtree ∪ all) ∩ kinds, ordered by code so ordinals are stable
 * (one query). Unknown ids, codes and subtree roots are named in the 400.
 */
export async function selectUnits(units: UnitSelectionReads, sel: UnitSelectionDto): Promise<SelectedUnit[]> {
  const ids = [...new Set(sel.ids ?? [])];
  const codes = [...new Set(sel.codes ?? [])];
  if (!ids.length && !codes.length && !sel.subtreeOf && !sel.all) {
    throw DomainError.validation('no units selected', [
      { field: 'units', problem: 'give ids, codes, subtreeOf or all: true' },
    ]);
  }
  const problems: FieldProblem[] = [];
  if (ids.length) {
    const missing = await units.unknownIds(ids);
    if (missing.length) problems.push({ field: 'units.ids', problem: `unknown unit ids: ${missing.join(', ')}` });
  }
  if (codes.length) {
    const missing = await units.unknownCodes(codes);
    if (missing.length) problems.push({ field: 'units.codes', problem: `unknown unit codes: ${missing.join(', ')}` });
  }
  if (sel.subtreeOf && !(await units.idOfCode(sel.subtreeOf))) {
    problems.push({ field: 'units.subtreeOf', problem: `unknown unit code "${sel.subtreeOf}"` });
  }
  if (problems.length) throw DomainError.validation('the unit selection names units that do not exist', problems);

  const selected = await units.select({
    ids,
    codes,
    subtreeOf: sel.subtreeOf ?? null,
    kinds: sel.kinds ?? null,
    all: sel.all === true,
  });
  if (!selected.length) {
    throw DomainError.validation('the selection is empty', [
      { field: 'units', problem: `no unit matches${sel.kinds ? ` (kinds: ${sel.kinds.join(', ')})` : ''}` },
    ]);
  }
  return selected;
}
