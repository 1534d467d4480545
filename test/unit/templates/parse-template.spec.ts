import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../../libs/domain/src/template';
import { repoRoot } from '../../support/paths';

const deliverable = { key: 'report', kind: 'report', title: '报告' };

/** A valid two-stage template; tests break one thing at a time (or several). */
function validDoc(): any {
  return {
    key: 'test-campaign',
    name: '测试活动',
    referenceYear: 2027,
    stages: [
      {
        key: 'first',
        title: '第一阶段',
        window: { opens: '2027-03-01', closes: '2027-04-30' },
        steps: [{ key: 'plan', title: '方案', due: '2027-03-15T17:00', deliverables: [deliverable] }],
      },
      {
        key: 'second',
        title: '第二阶段',
        window: { opens: '2027-05-01', closes: '2027-06-30' },
        steps: [{ key: 'summary', title: '总结', opens: '2027-05-10', due: '2027-06-20', deliverables: [deliverable] }],
      },
    ],
  };
}

function problemsOf(input: string | object) {
  const result = parseTemplate(input);
  if (result.ok) throw new Error('expected problems, the template was accepted');
  return result.problems;
}

describe('parseTemplate', () => {
  it('accepts a valid document and fills in the defaults', () => {
    const result = parseTemplate(validDoc());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.template.timeZone).toBe('Asia/Shanghai');
    expect(result.template.calendar).toEqual({ rollDueToWorkingDay: false });
    expect(result.template.defaults).toEqual({ review: 'office', reminders: [], escalation: [] });
    expect(result.template.stages[0].gating).toBe(true);
    expect(result.template.stages[0].steps[0].required).toBe(true);
    expect(result.template.stages[0].steps[0].deliverables[0].required).toBe(true);
    expect(result.template.recurring).toEqual([]);
  });

  it('reports every schema problem at once, each with its path and a plain message', () => {
    const doc = validDoc();
    doc.key = 'Bad Key';
    doc.name = '';
    doc.timeZone = 'Mars/Olympus';
    doc.stages[1].steps = [
      {
        key: 'a',
        title: 'A',
        due: '2027-13-01',
        deliverables: [{ key: 'd', kind: 'essay', title: 'D' }],
        appliesTo: ['castle'],
      },
      { key: 'b', title: 'B', due: { after: '30 seconds' }, deliverables: [], colour: 'red' },
      { key: 'c', title: 'C', due: 5, deliverables: [{ ...deliverable, required: 'yes' }] },
      { key: 'd', title: 'D', deliverables: [deliverable] },
    ];
    doc.recurring = [{ series: 'x', title: 'X', every: 'weekly', deliverables: [deliverable] }];
    expect(problemsOf(doc)).toEqual([
      {
        field: 'key',
        problem: "must be a template key of lower-case letters, digits, '-' or '_' (e.g. study-research)",
      },
      { field: 'name', problem: 'must not be empty' },
      { field: 'timeZone', problem: 'must be an IANA time zone such as Asia/Shanghai' },
      {
        field: 'stages[1].steps[0].due',
        problem: 'must be a local date or date-time such as 2010-07-15 or 2010-07-15T17:00',
      },
      {
        field: 'stages[1].steps[0].appliesTo[0]',
        problem:
          'must be one of the unit kinds: office, agency, university, vocational, school, kindergarten, retirees, general_branch, other',
      },
      {
        field: 'stages[1].steps[0].deliverables[0].kind',
        problem:
          'must be one of: report, meeting_minutes, plan_with_items, evaluation, attendance_hours, commitment, free_form',
      },
      { field: 'stages[1].steps[1].due.after', problem: 'must be an ISO-8601 duration such as P7D, PT2M or PT30S' },
      { field: 'stages[1].steps[1].deliverables', problem: 'must list at least one deliverable' },
      { field: 'stages[1].steps[1].colour', problem: 'unknown field' },
      {
        field: 'stages[1].steps[2].due',
        problem:
          'must be a local date-time such as 2010-07-15T17:00, or { after: <ISO duration>, from: cycle | stage }',
      },
      { field: 'stages[1].steps[2].deliverables[0].required', problem: 'must be true or false' },
      { field: 'stages[1].steps[3].due', problem: 'is required' },
      {
        field: 'recurring[0].every',
        problem: 'must be quarter, half-year, semester or an ISO-8601 duration such as PT2M',
      },
    ]);
  });

  it('reports every semantic problem at once: duplicates, windows, deadlines, notices, recurring series', () => {
    const doc = validDoc();
    doc.stages[0].window.closes = '2027-02-01'; // closes before it opens
    doc.stages[1].key = 'first'; // duplicate stage key
    doc.stages[1].steps[0].due = '2027-04-20'; // before its stage opens (2027-05-01)
    doc.stages[1].steps.push(
      { key: 'plan', title: '重复', due: '2027-06-01', deliverables: [deliverable] }, // duplicate step key
      { key: 'late', title: '晚开', opens: '2027-06-10', due: '2027-06-05', deliverables: [deliverable] }, // due before it opens
      {
        key: 'rungs',
        title: '升级',
        due: '2027-06-30',
        reminders: ['P1D', 'PT24H', 'PT0S'],
        escalation: [
          { after: 'P3D', to: 'parent' },
          { after: 'P3D', to: 'office', bulletin: true },
        ],
        deliverables: [
          { key: 'hours', kind: 'report', title: '学时', minHours: 48 },
          { key: 'hours', kind: 'attendance_hours', title: '学时', minHours: 48 },
        ],
      },
    );
    doc.recurring = [
      { series: 'quarterly', title: '季度', every: 'quarter', deliverables: [deliverable] }, // no from / to
      {
        series: 'orphan',
        title: '孤立',
        stage: 'nowhere',
        dates: [{ due: '2027-03-10' }],
        deliverables: [deliverable],
      },
      { series: 'outside', title: '窗外', dates: [{ due: '2027-09-01' }], deliverables: [deliverable] },
    ];
    expect(problemsOf(doc)).toEqual([
      { field: 'stages[1].key', problem: "duplicate stage key 'first' (first used at stages[0].key)" },
      { field: 'stages[1].steps[1].key', problem: "duplicate step key 'plan' (first used at stages[0].steps[0].key)" },
      {
        field: 'stages[1].steps[3].deliverables[1].key',
        problem: "duplicate deliverable key 'hours' (first used at stages[1].steps[3].deliverables[0].key)",
      },
      {
        field: 'stages[1].steps[3].deliverables[0].minHours',
        problem: 'only attendance_hours deliverables have minHours',
      },
      { field: 'stages[1].steps[3].reminders[1]', problem: 'duplicate reminder offset PT24H' },
      {
        field: 'stages[1].steps[3].reminders[2]',
        problem: 'must be longer than zero (it is an offset before the due date)',
      },
      {
        field: 'stages[1].steps[3].escalation[1].after',
        problem: 'must be later than the previous rung (P3D); rungs climb in order',
      },
      {
        field: 'stages[0].window.closes',
        problem: 'closes (2027-02-01T23:59:59) before the window opens (2027-03-01T00:00:00)',
      },
      { field: 'stages[0].steps[0].due', problem: 'after the stage window closes' },
      { field: 'stages[1].steps[0].due', problem: 'before the stage window opens' },
      { field: 'stages[1].steps[2].due', problem: 'before the step opens' },
      { field: 'recurring[0].from', problem: 'is required with every: quarter' },
      { field: 'recurring[0].to', problem: 'is required with every: quarter' },
      { field: 'recurring[1].stage', problem: "no stage has the key 'nowhere'" },
      {
        field: 'recurring[2].dates[0].due',
        problem: "occurrence 1 (due 2027-09-01T23:59:59) falls in no stage's window",
      },
    ]);
  });

  it('reports duplicate keys together with schema problems', () => {
    const doc = validDoc();
    doc.referenceYear = 'next year';
    doc.stages[1].key = 'first';
    doc.stages[1].steps[0].key = 'plan';
    expect(problemsOf(doc)).toEqual([
      { field: 'referenceYear', problem: 'must be a number' },
      { field: 'stages[1].key', problem: "duplicate stage key 'first' (first used at stages[0].key)" },
      { field: 'stages[1].steps[0].key', problem: "duplicate step key 'plan' (first used at stages[0].steps[0].key)" },
    ]);
  });

  it('checks a time measured from the stage start against that stage (PT durations)', () => {
    const doc = validDoc();
    doc.stages[1].window = { opens: { after: 'PT1M' }, closes: { after: 'PT10M', from: 'stage' } };
    doc.stages[1].steps = [
      { key: 'quick', title: '快', due: { after: 'PT30S', from: 'stage' }, deliverables: [deliverable] },
      { key: 'slow', title: '慢', due: { after: 'PT11M', from: 'stage' }, deliverables: [deliverable] },
    ];
    doc.stages[0].window = { opens: { after: 'PT0S' }, closes: { after: 'PT1M' } };
    doc.stages[0].steps[0].due = { after: 'PT1M' };
    expect(problemsOf(doc)).toEqual([{ field: 'stages[1].steps[1].due', problem: 'after the stage window closes' }]);
  });

  it('reports YAML syntax errors with their line, and a document that is not a mapping', () => {
    expect(problemsOf('key: a\nname: [x\n')).toEqual([
      {
        field: 'document',
        problem:
          'not valid YAML/JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1',
      },
    ]);
    expect(problemsOf('- a\n- b\n')).toEqual([
      { field: 'document', problem: 'must be a mapping with key, name, referenceYear and stages' },
    ]);
  });

  it('reads YAML with comments exactly like the equivalent JSON', () => {
    const yaml = `
# a comment
key: test-campaign
name: 测试活动
referenceYear: 2027
stages:
  - key: first
    title: 第一阶段
    window: { opens: 2027-03-01, closes: 2027-04-30 }   # dates stay strings (YAML 1.2 core schema)
    steps:
      - { key: plan, title: 方案, due: "2027-03-15T17:00", deliverables: [{ key: report, kind: report, title: 报告 }] }
  - key: second
    title: 第二阶段
    window: { opens: 2027-05-01, closes: 2027-06-30 }
    steps:
      - { key: summary, title: 总结, opens: 2027-05-10, due: 2027-06-20, deliverables: [{ key: report, kind: report, title: 报告 }] }
`;
    const fromYaml = parseTemplate(yaml);
    const fromJson = parseTemplate(validDoc());
    expect(fromYaml.ok && fromJson.ok).toBe(true);
    if (fromYaml.ok && fromJson.ok) expect(fromYaml.template).toEqual(fromJson.template);
  });
});

describe('the documented example (docs/campaign-templates.md)', () => {
  it('parses', () => {
    const md = readFileSync(join(repoRoot, 'docs', 'campaign-templates.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md)![1];
    const result = parseTemplate(yaml);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
