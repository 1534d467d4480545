import { selectUnits, type UnitSelectionReads } from '../../../apps/api/src/cycles/unit-selection';
import type { SelectedUnit, UnitSelection } from '../../../apps/api/src/units/unit.repository';
import { ErrorCode } from '../../../libs/domain/src';
import { refusal } from '../../support/rejection';

/**
 * The unit tree as the repository would answer: a fake that knows some ids and codes and answers `select` with what
 * the test says. What the SQL selects (subtree, kinds) is proven on PostgreSQL in test/integration/cycles; here the
 * rules around it: what is refused before the query, what each 400 names, what reaches the query.
 */
function fakeUnits(known: { ids?: string[]; codes?: string[] }, selected: SelectedUnit[] = []) {
  const ids = new Set(known.ids ?? []);
  const codes = new Set(known.codes ?? []);
  const units = {
    unknownIds: jest.fn(async (given: string[]) => given.filter((i) => !ids.has(i)).sort()),
    unknownCodes: jest.fn(async (given: string[]) => given.filter((c) => !codes.has(c)).sort()),
    idOfCode: jest.fn(async (code: string) => (codes.has(code) ? `id-of-${code}` : undefined)),
    select: jest.fn(async (_sel: UnitSelection) => selected),
  } satisfies UnitSelectionReads;
  return units;
}

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const ID_X = '00000000-0000-4000-8000-0000000000ff';

describe('selectUnits (fake unit repository)', () => {
  it('refuses an empty selection before reading anything', async () => {
    const units = fakeUnits({});
    const error = await refusal(selectUnits(units, { kinds: ['school'] }));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toEqual([{ field: 'units', problem: 'give ids, codes, subtreeOf or all: true' }]);
    expect(units.unknownIds).not.toHaveBeenCalled();
    expect(units.select).not.toHaveBeenCalled();
  });

  it('names every unknown id, code and subtree root in one 400, and selects nothing', async () => {
    const units = fakeUnits({ ids: [ID_A], codes: ['xh-s01'] });
    const error = await refusal(
      selectUnits(units, { ids: [ID_X, ID_A], codes: ['xh-s01', 'xh-s99', 'xh-s98'], subtreeOf: 'xh-gb9' }),
    );
    expect(error.message).toBe('the unit selection names units that do not exist');
    expect(error.details).toEqual([
      { field: 'units.ids', problem: `unknown unit ids: ${ID_X}` },
      { field: 'units.codes', problem: 'unknown unit codes: xh-s98, xh-s99' },
      { field: 'units.subtreeOf', problem: 'unknown unit code "xh-gb9"' },
    ]);
    expect(units.select).not.toHaveBeenCalled();
  });

  it('asks once per distinct id and code, and hands the query the whole selection', async () => {
    const chosen = [
      { id: ID_A, kind: 'school' },
      { id: ID_B, kind: 'kindergarten' },
    ];
    const units = fakeUnits({ ids: [ID_A, ID_B], codes: ['xh-s01', 'xh-gb1'] }, chosen);
    const result = await selectUnits(units, {
      ids: [ID_A, ID_B, ID_A],
      codes: ['xh-s01', 'xh-s01'],
      subtreeOf: 'xh-gb1',
      kinds: ['school', 'kindergarten'],
    });
    expect(result).toEqual(chosen);
    expect(units.unknownIds.mock.calls).toEqual([[[ID_A, ID_B]]]);
    expect(units.unknownCodes.mock.calls).toEqual([[['xh-s01']]]);
    expect(units.idOfCode.mock.calls).toEqual([['xh-gb1']]);
    expect(units.select.mock.calls).toEqual([
      [{ ids: [ID_A, ID_B], codes: ['xh-s01'], subtreeOf: 'xh-gb1', kinds: ['school', 'kindergarten'], all: false }],
    ]);
  });

  it('`all` needs no lookups; every kind when none is given', async () => {
    const units = fakeUnits({}, [{ id: ID_A, kind: 'office' }]);
    await selectUnits(units, { all: true });
    expect(units.unknownIds).not.toHaveBeenCalled();
    expect(units.unknownCodes).not.toHaveBeenCalled();
    expect(units.idOfCode).not.toHaveBeenCalled();
    expect(units.select.mock.calls).toEqual([[{ ids: [], codes: [], subtreeOf: null, kinds: null, all: true }]]);
  });

  it('a selection that matches no unit is a 400 naming the kinds it was narrowed to', async () => {
    const units = fakeUnits({ codes: ['xh-gb1'] }, []);
    const error = await refusal(selectUnits(units, { subtreeOf: 'xh-gb1', kinds: ['kindergarten'] }));
    expect(error.message).toBe('the selection is empty');
    expect(error.details).toEqual([{ field: 'units', problem: 'no unit matches (kinds: kindergarten)' }]);
  });
});
