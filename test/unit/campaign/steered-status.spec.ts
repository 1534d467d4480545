import { followUnitWrite, type SteeredRow } from '../../../libs/domain/src/cycles/steered-status';

describe('a unit write vs the cycle-wide controls shown ahead of it (followUnitWrite)', () => {
  it('applies the write as it is when nothing is awaited', () => {
    expect(
      followUnitWrite(
        { status: 'pending', awaiting: [] },
        { status: 'running', eventKinds: ['started', 'stage_entered'] },
      ),
    ).toEqual({ status: 'running', awaiting: [] });
  });

  it('keeps the shown status against a write made before the unit applied the control', () => {
    // pause, then resume shown; the unit's pause write lands late.
    expect(
      followUnitWrite(
        { status: 'running', awaiting: ['paused', 'resumed'] },
        { status: 'paused', eventKinds: ['paused'] },
      ),
    ).toEqual({ status: 'running', awaiting: ['resumed'] });
    expect(
      followUnitWrite(
        { status: 'running', awaiting: ['resumed'] },
        { status: 'running', eventKinds: ['resumed', 'notice_skipped'] },
      ),
    ).toEqual({ status: 'running', awaiting: [] });
    // an unrelated write (a notice) before the unit got to the pause
    expect(
      followUnitWrite({ status: 'paused', awaiting: ['paused'] }, { status: 'running', eventKinds: ['reminder_sent'] }),
    ).toEqual({ status: 'paused', awaiting: ['paused'] });
  });

  it('consumes confirmations in signal order: pause, resume, pause', () => {
    let row: SteeredRow = { status: 'paused', awaiting: ['paused', 'resumed', 'paused'] };
    const seen: SteeredRow[] = [];
    for (const [status, kind] of [
      ['paused', 'paused'],
      ['running', 'resumed'],
      ['paused', 'paused'],
    ] as const) {
      row = followUnitWrite(row, { status, eventKinds: [kind] });
      seen.push(row);
    }
    expect(seen).toEqual([
      { status: 'paused', awaiting: ['resumed', 'paused'] },
      { status: 'paused', awaiting: ['paused'] },
      { status: 'paused', awaiting: [] },
    ]);
  });

  it('passes over an awaited event that never comes (a control the unit ignored)', () => {
    expect(
      followUnitWrite(
        { status: 'paused', awaiting: ['resumed', 'paused'] },
        { status: 'paused', eventKinds: ['paused'] },
      ),
    ).toEqual({ status: 'paused', awaiting: [] });
  });

  it('lets a finished unit’s write through whatever is awaited', () => {
    expect(
      followUnitWrite({ status: 'cancelled', awaiting: ['cancelled'] }, { status: 'paused', eventKinds: ['paused'] }),
    ).toEqual({ status: 'cancelled', awaiting: ['cancelled'] });
    expect(
      followUnitWrite(
        { status: 'cancelled', awaiting: ['paused', 'cancelled'] },
        { status: 'cancelled', eventKinds: ['cancelled'] },
      ),
    ).toEqual({ status: 'cancelled', awaiting: [] });
    expect(
      followUnitWrite({ status: 'paused', awaiting: ['paused'] }, { status: 'completed', eventKinds: ['completed'] }),
    ).toEqual({ status: 'completed', awaiting: [] });
  });
});
