import {
  shownCellsReader,
  totalsOf,
  withAnyCode,
  type Column,
  type KindLayout,
} from '../../../apps/api/src/cycles/progress-matrix.cells';
import { DAY, DAY_S } from '../../support/time';

const WINDOW = 3 * DAY;
/** Plan order = column order, steps due 10 and 20 days after the start (at 0). */
const inOrder: KindLayout = { columnOf: [0, 1], due: [10 * DAY_S, 20 * DAY_S] };

describe('progress matrix cells', () => {
  it('shows a waiting step open, due soon inside the window, overdue once due; escalated when stored upper case', () => {
    const shownAt = (asOf: number, cells: string) =>
      shownCellsReader(0, asOf, WINDOW, 2).read({ cells, due: null }, inOrder);
    expect(
      ['o0', 'r0', 'O0', 'R0'].map((c) => [
        shownAt(7 * DAY, c),
        shownAt(7 * DAY + 1, c),
        shownAt(10 * DAY, c),
        shownAt(10 * DAY + 1, c),
      ]),
    ).toEqual([
      ['o0', 'd0', 'd0', 'x0'],
      ['r0', 'd0', 'd0', 'x0'],
      ['o0', 'd0', 'd0', 'e0'],
      ['r0', 'd0', 'd0', 'e0'],
    ]);
    // A unit's own (extended) dues win over the plan's.
    expect(shownCellsReader(0, 11 * DAY, WINDOW, 2).read({ cells: 'oo', due: [12 * DAY_S, 30 * DAY_S] }, inOrder)).toBe(
      'do',
    );
    // Rows on the plan's dues share their pattern's answer; a row with dues of its own never takes it.
    const reader = shownCellsReader(0, 11 * DAY, WINDOW, 2);
    expect(['oo', 'oo', 'ro'].map((cells) => reader.read({ cells, due: null }, inOrder))).toEqual(['xo', 'xo', 'xo']);
    expect(reader.read({ cells: 'oo', due: [12 * DAY_S, 30 * DAY_S] }, inOrder)).toBe('do');
    expect(reader.read({ cells: 'oo', due: null }, inOrder)).toBe('xo');
  });

  it('says for which instants the cells stay the same: between the last deadline edge passed and the next one', () => {
    const reader = shownCellsReader(0, 15 * DAY, WINDOW, 2);
    for (const cells of ['oo', 'as', 'ro']) reader.read({ cells, due: null }, inOrder);
    // edges: 7 d and 10 d (first step), 17 d and 20 d (second step)
    expect(reader.validity).toEqual({ after: 10 * DAY, until: 17 * DAY });
    const settled = shownCellsReader(0, 15 * DAY, WINDOW, 2);
    settled.read({ cells: 'as', due: null }, inOrder);
    expect(settled.validity).toEqual({ after: -Infinity, until: Infinity });
  });

  it('hands back the stored string when nothing waits and the plan is in column order; maps other kinds onto the columns', () => {
    const stored = 'aw0s';
    const reader = shownCellsReader(0, 0, WINDOW, 4);
    expect(reader.read({ cells: stored, due: null }, { columnOf: [0, 1, 2, 3], due: [1, 2, 3, 4] })).toBe(stored);
    // a kind whose plan has the 4th and 2nd column only, and one without a plan
    expect(reader.read({ cells: 'sa', due: null }, { columnOf: [3, 1], due: [1, 2] })).toBe('-a-s');
    expect(reader.read({ cells: 'sa', due: null }, undefined)).toBe('----');
  });

  it('counts cells per status by stage and by kind (not-in-plan cells not at all), and filters rows by code', () => {
    const columns = [{ stageIndex: 0 }, { stageIndex: 0 }, { stageIndex: 1 }] as Column[];
    const stages = [
      { key: 'study', title: '', firstColumn: 0, columns: 2 },
      { key: 'analysis', title: '', firstColumn: 2, columns: 1 },
    ];
    const rows = [
      { id: '1', code: 'b', name: '', kind: 'school', stage: null, cells: 'as0' },
      { id: '2', code: 'c', name: '', kind: 'kindergarten', stage: null, cells: 'x-0' },
      { id: '3', code: 'd', name: '', kind: 'school', stage: null, cells: 'ae-' },
    ];
    expect(totalsOf(rows, columns, stages)).toEqual({
      units: 3,
      byStage: {
        study: { cells: 5, byStatus: { accepted: 2, submitted: 1, overdue: 1, escalated: 1 } },
        analysis: { cells: 2, byStatus: { not_open: 2 } },
      },
      byKind: {
        kindergarten: { cells: 2, byStatus: { overdue: 1, not_open: 1 } },
        school: { cells: 5, byStatus: { accepted: 2, submitted: 1, not_open: 1, escalated: 1 } },
      },
    });
    expect(Object.keys(totalsOf(rows, columns, stages).byKind)).toEqual(['kindergarten', 'school']);
    expect(withAnyCode(rows, ['e', 'x']).map((r) => r.id)).toEqual(['2', '3']);
    expect(withAnyCode(rows, ['w'])).toEqual([]);
  });
});
