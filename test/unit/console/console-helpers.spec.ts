import { problemRows } from '../../../apps/console/src/pages/units/import-problems';
import { fieldPath, rangeOfField, yamlSyntaxProblems } from '../../../apps/console/src/pages/templates/problem-ranges';
import { displayStepStatus } from '../../../apps/console/src/shared/status';

const yaml = `key: k
stages:
  - key: study
    steps:
      - key: a
        due: { after: P10D }
        deliverables:
          - { key: plan, kind: essay }
`;
const lineOf = (text: string, pos: number) => text.slice(0, pos).split('\n').length;

describe('console helpers (pure functions of the pages)', () => {
  it('maps a validator field to its YAML line, falling back to the nearest written ancestor', () => {
    expect(fieldPath('stages[0].steps[0].deliverables[0].kind')).toEqual([
      'stages',
      0,
      'steps',
      0,
      'deliverables',
      0,
      'kind',
    ]);
    const kind = rangeOfField(yaml, 'stages[0].steps[0].deliverables[0].kind');
    expect([lineOf(yaml, kind.from), yaml.slice(kind.from, kind.to)]).toEqual([8, 'kind: essay']);
    const due = rangeOfField(yaml, 'stages[0].steps[0].due.after');
    expect([lineOf(yaml, due.from), yaml.slice(due.from, due.to)]).toEqual([6, 'after: P10D']);
    const missing = rangeOfField(yaml, 'stages[0].steps[0].title'); // "is required": the step item itself
    expect(lineOf(yaml, missing.from)).toBe(5);
    const doc = rangeOfField(yaml, 'document');
    expect(yaml.slice(doc.from, doc.to)).toBe('key: k');
  });

  it('finds YAML syntax errors without the api', () => {
    const broken = 'key: k\nstages: [\n';
    const [p] = yamlSyntaxProblems(broken);
    expect(p.message).toMatch(/flow sequence/i);
    expect(yamlSyntaxProblems(yaml)).toEqual([]);
  });

  it('turns import problems into row / column / problem', () => {
    expect(
      problemRows([
        { field: 'rows[4].email', problem: 'not an email address' },
        { field: 'header[3]', problem: 'unknown column' },
        { field: 'body', problem: 'empty' },
      ]),
    ).toEqual([
      { row: 4, column: 'email', problem: 'not an email address' },
      { row: 1, column: '#3', problem: 'unknown column' },
      { row: '', column: 'body', problem: 'empty' },
    ]);
  });

  it('sharpens a step status by its deadline', () => {
    const now = Date.parse('2026-10-08T00:00:00Z');
    expect(displayStepStatus({ status: 'open', dueAt: '2026-10-07T00:00:00Z', escalationLevel: 0 }, now)).toBe(
      'overdue',
    );
    expect(displayStepStatus({ status: 'returned', dueAt: '2026-10-07T00:00:00Z', escalationLevel: 2 }, now)).toBe(
      'escalated',
    );
    expect(displayStepStatus({ status: 'open', dueAt: '2026-10-09T00:00:00Z' }, now)).toBe('dueSoon');
    expect(displayStepStatus({ status: 'open', dueAt: '2026-10-20T00:00:00Z' }, now)).toBe('open');
    expect(displayStepStatus({ status: 'accepted', dueAt: '2026-10-07T00:00:00Z' }, now)).toBe('accepted');
  });
});
