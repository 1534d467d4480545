import { fieldProblems } from '../../../libs/domain/src/deliverables/deliverable-kinds';

describe('deliverable fields by kind', () => {
  it('names each bad item field of a rectification plan', () => {
    expect(
      fieldProblems(
        'plan_with_items',
        { items: [{ goal: 'g', project: 'p', deadline: '2026-02-30', measures: 'm', extra: 1 }] },
        'deliverables[0].fields',
        true,
      ),
    ).toEqual(
      expect.arrayContaining([
        { field: 'deliverables[0].fields.items[0]', problem: 'unknown field(s) extra' },
        { field: 'deliverables[0].fields.items[0].deadline', problem: 'is not a calendar date' },
        { field: 'deliverables[0].fields.items[0].responsible', problem: 'is required' },
      ]),
    );
  });

  it('lets a draft leave fields out but not malform them', () => {
    expect(fieldProblems('meeting_minutes', {}, 'f', false)).toEqual([]);
    expect(fieldProblems('meeting_minutes', { meetingDate: '2026/01/01' }, 'f', false)).toEqual([
      { field: 'f.meetingDate', problem: 'must be a date YYYY-MM-DD' },
    ]);
    expect(fieldProblems('meeting_minutes', {}, 'f', true)).toEqual([
      { field: 'f.meetingDate', problem: 'is required' },
      { field: 'f.attendees', problem: 'is required' },
    ]);
  });

  it('checks cross-field rules', () => {
    expect(fieldProblems('attendance_hours', { hours: 48, from: '2026-05-01', to: '2026-04-01' }, 'f', true)).toEqual([
      { field: 'f.to', problem: 'must not be before from' },
    ]);
    expect(fieldProblems('evaluation', { respondents: 3, satisfied: 4 }, 'f', true)).toEqual([
      { field: 'f.satisfied', problem: 'must not exceed respondents' },
    ]);
    expect(fieldProblems('attendance_hours', { hours: 48.5, from: '2026-03-01', to: '2026-08-31' }, 'f', true)).toEqual(
      [],
    );
  });
});
