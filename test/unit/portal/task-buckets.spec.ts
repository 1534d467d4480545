import { bucketOf, daysLeft, daysOverdue } from '../../../apps/api/src/portal/task-buckets';

const at = (iso: string) => new Date(iso);

describe('portal task buckets and days in words', () => {
  it('counts days left on the calendar of the campaign’s zone, not in 24-hour blocks', () => {
    // Beijing: now Tue 2026-12-01 23:30, due Fri 2026-12-04 09:00 → 3 days ("还有3天"), though only 57.5 h remain
    expect(daysLeft(at('2026-12-04T01:00:00Z'), at('2026-12-01T15:30:00Z'), 'Asia/Shanghai')).toBe(3);
    // an hour later it is already Wednesday in Beijing (2 days), still Tuesday in UTC (3 days): the zone decides
    expect(daysLeft(at('2026-12-04T01:00:00Z'), at('2026-12-01T16:30:00Z'), 'Asia/Shanghai')).toBe(2);
    expect(daysLeft(at('2026-12-04T01:00:00Z'), at('2026-12-01T16:30:00Z'), 'UTC')).toBe(3);
    expect(daysLeft(at('2026-12-02T09:00:00Z'), at('2026-12-02T01:00:00Z'), 'Asia/Shanghai')).toBe(0); // due later today
    expect(daysLeft(at('2026-12-02T09:00:00Z'), at('2026-12-02T10:00:00Z'), 'Asia/Shanghai')).toBe(0); // past
  });

  it('counts overdue days begun since the due instant, at least one', () => {
    const due = at('2026-12-01T09:00:00Z');
    expect(daysOverdue(due, at('2026-12-01T09:00:00Z'))).toBe(0);
    expect(daysOverdue(due, at('2026-12-01T10:00:00Z'))).toBe(1);
    expect(daysOverdue(due, at('2026-12-03T09:00:00Z'))).toBe(2);
    expect(daysOverdue(due, at('2026-12-03T09:00:01Z'))).toBe(3);
  });

  it('puts each step where the unit has to act on it', () => {
    const now = at('2026-12-01T00:00:00Z');
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
    expect(bucketOf('open', inDays(-0.01), now)).toBe('overdue');
    expect(bucketOf('returned', inDays(-1), now)).toBe('overdue');
    expect(bucketOf('returned', inDays(20), now)).toBe('returned');
    expect(bucketOf('open', inDays(7), now)).toBe('due_soon');
    expect(bucketOf('open', inDays(7.01), now)).toBe('open');
    expect(bucketOf('submitted', inDays(-3), now)).toBe('submitted');
    expect(bucketOf('pending', inDays(30), now)).toBe('upcoming');
    for (const s of ['accepted', 'waived', 'cancelled'] as const) expect(bucketOf(s, inDays(-3), now)).toBe('done');
  });
});
