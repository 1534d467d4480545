import { defaultSendWindow } from '../../../libs/notifications/src/planning/send-window';

const next = (iso: string, quiet = { start: '22:00', end: '08:00' }) =>
  defaultSendWindow.nextSendableInstant(new Date(iso), 'Asia/Shanghai', quiet).toISOString();

describe('send window (default: the domain calendar): quiet hours, PRC working days, office closures', () => {
  it('leaves a working-day daytime instant alone', () => {
    expect(next('2026-11-24T10:00:00+08:00')).toBe('2026-11-24T02:00:00.000Z');
  });

  it('moves a Friday 23:30 notice past the weekend to Monday 08:00 local', () => {
    expect(next('2026-11-20T23:30:00+08:00')).toBe('2026-11-23T00:00:00.000Z');
  });

  it('moves an early-morning notice to 08:00 the same working day', () => {
    expect(next('2026-11-24T06:15:00+08:00')).toBe('2026-11-24T00:00:00.000Z');
  });

  it('skips the National Day holiday (1–7 Oct 2026) and counts the make-up Saturday 10 Oct as a working day', () => {
    expect(next('2026-09-30T22:30:00+08:00')).toBe('2026-10-08T00:00:00.000Z');
    expect(next('2026-10-10T09:00:00+08:00')).toBe('2026-10-10T01:00:00.000Z');
  });

  it('skips the plan’s office closures', () => {
    const at = defaultSendWindow.nextSendableInstant(
      new Date('2026-11-24T23:00:00+08:00'),
      'Asia/Shanghai',
      { start: '22:00', end: '08:00' },
      ['2026-11-25'],
    );
    expect(at.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('handles a daytime quiet window (12:00–14:00)', () => {
    expect(next('2026-11-24T12:30:00+08:00', { start: '12:00', end: '14:00' })).toBe('2026-11-24T06:00:00.000Z');
  });
});
