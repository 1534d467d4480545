import { isWorkingDay, nextSendableInstant, nextWorkingDay, rollToWorkingDay } from '../../../libs/domain/src/calendar';

const SH = 'Asia/Shanghai';
const quiet = { start: '21:00', end: '08:00' };

describe('working-day calendar (chinese-days data)', () => {
  it('treats the National Day holiday as off and its make-up Saturday (调休) as a working day', () => {
    // chinese-days 1.5.7: 国庆节 2026-10-01..10-07 off; Sunday 2026-09-20 and Saturday 2026-10-10 are make-up workdays.
    for (const day of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'])
      expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true); // Thursday after the holiday
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休
    expect(isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday before Spring Festival, 调休
    expect(isWorkingDay('2026-02-17')).toBe(false); // 春节
  });

  it('reads the same calendar day whatever the process time zone is', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect([
          isWorkingDay('2026-10-07'),
          isWorkingDay('2026-10-08'),
          isWorkingDay('2026-10-10'),
          isWorkingDay('2026-10-11'),
        ]).toEqual([false, true, true, false]);
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it('rolls a due instant on 2026-10-01 (National Day) to the same local time on 2026-10-08', () => {
    // 2026-10-01 17:00 Asia/Shanghai = 09:00Z → 2026-10-08 17:00 Asia/Shanghai.
    expect(rollToWorkingDay('2026-10-01T09:00:00.000Z', SH).toISOString()).toBe('2026-10-08T09:00:00.000Z');
    // 23:59:59 local on the 1st is still the 1st locally (15:59:59Z) → 23:59:59 local on the 8th.
    expect(rollToWorkingDay('2026-10-01T15:59:59.000Z', SH).toISOString()).toBe('2026-10-08T15:59:59.000Z');
    // 2026-09-30 20:00Z is already 2026-10-01 04:00 in Shanghai: a holiday there, so it rolls too.
    expect(rollToWorkingDay('2026-09-30T20:00:00.000Z', SH).toISOString()).toBe('2026-10-07T20:00:00.000Z');
  });

  it('leaves working days alone, including a make-up Saturday, and skips office closures', () => {
    expect(rollToWorkingDay('2026-10-10T02:00:00.000Z', SH).toISOString()).toBe('2026-10-10T02:00:00.000Z');
    expect(rollToWorkingDay('2026-10-11T02:00:00.000Z', SH).toISOString()).toBe('2026-10-12T02:00:00.000Z');
    // Office closed on the 8th and 9th: the next working day is the make-up Saturday, the 10th.
    expect(
      rollToWorkingDay('2026-10-01T09:00:00.000Z', SH, { closures: ['2026-10-08', '2026-10-09'] }).toISOString(),
    ).toBe('2026-10-10T09:00:00.000Z');
    expect(nextWorkingDay('2026-10-03')).toBe('2026-10-08');
    expect(isWorkingDay('2026-11-18', { closures: ['2026-11-18'] })).toBe(false);
  });
});

describe('nextSendableInstant', () => {
  it('sends at once inside working hours on a working day', () => {
    expect(nextSendableInstant('2026-11-18T02:00:00.000Z', SH, quiet).toISOString()).toBe('2026-11-18T02:00:00.000Z'); // Wed 10:00
  });

  it('holds a late-evening notice until 08:00 the next morning, and an early one until 08:00 the same day', () => {
    expect(nextSendableInstant('2026-11-18T14:30:00.000Z', SH, quiet).toISOString()).toBe('2026-11-19T00:00:00.000Z'); // Wed 22:30 → Thu 08:00
    expect(nextSendableInstant('2026-11-18T18:00:00.000Z', SH, quiet).toISOString()).toBe('2026-11-19T00:00:00.000Z'); // Thu 02:00 → Thu 08:00
    expect(nextSendableInstant('2026-11-19T00:00:00.000Z', SH, quiet).toISOString()).toBe('2026-11-19T00:00:00.000Z'); // exactly 08:00
    expect(nextSendableInstant('2026-11-18T13:00:00.000Z', SH, quiet).toISOString()).toBe('2026-11-19T00:00:00.000Z'); // exactly 21:00
  });

  it('holds notices over holidays and weekends, but sends on a make-up Saturday', () => {
    // Sat 2026-10-03 10:00 (holiday) → Thu 2026-10-08 08:00.
    expect(nextSendableInstant('2026-10-03T02:00:00.000Z', SH, quiet).toISOString()).toBe('2026-10-08T00:00:00.000Z');
    // Fri 2026-10-09 22:00 → Sat 2026-10-10 08:00 (调休 working day).
    expect(nextSendableInstant('2026-10-09T14:00:00.000Z', SH, quiet).toISOString()).toBe('2026-10-10T00:00:00.000Z');
    // Sat 2026-10-10 22:00 → Mon 2026-10-12 08:00 (Sunday is off).
    expect(nextSendableInstant('2026-10-10T14:00:00.000Z', SH, quiet).toISOString()).toBe('2026-10-12T00:00:00.000Z');
    // Without quiet hours a holiday notice waits until the start of the next working day.
    expect(nextSendableInstant('2026-10-03T02:00:00.000Z', SH).toISOString()).toBe('2026-10-07T16:00:00.000Z');
    // workingDaysOnly: false — only quiet hours count.
    expect(nextSendableInstant('2026-10-03T02:00:00.000Z', SH, quiet, { workingDaysOnly: false }).toISOString()).toBe(
      '2026-10-03T02:00:00.000Z',
    );
  });
});
