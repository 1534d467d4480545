import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate, resolvePlan } from '../../../libs/domain/src/template';
import { repoRoot } from '../../support/paths';

/** `publish: true` on a plan_with_items deliverable: the accepted plan is readable by every unit of the cycle. */
function doc(deliverable: Record<string, unknown>): any {
  return {
    key: 'publish-test',
    name: '公布测试',
    referenceYear: 2027,
    stages: [
      {
        key: 'rectify',
        title: '整改落实',
        window: { opens: '2027-06-01', closes: '2027-08-31' },
        steps: [{ key: 'plan', title: '整改落实方案', due: '2027-08-31', deliverables: [deliverable] }],
      },
    ],
  };
}

describe('template schema: publish flag on deliverables', () => {
  it('accepts publish on a plan_with_items deliverable and carries it into the resolved plan', () => {
    const parsed = parseTemplate(doc({ key: 'plan', kind: 'plan_with_items', title: '方案', publish: true }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.template.stages[0].steps[0].deliverables[0]).toMatchObject({ publish: true });
    const plan = resolvePlan(parsed.template, { cycleStartsAt: '2027-01-01', unitKind: 'school' } as any);
    expect(plan.stages[0].steps[0].deliverables).toEqual([
      { key: 'plan', kind: 'plan_with_items', title: '方案', required: true, publish: true },
    ]);
  });

  it('leaves publish out of the plan when the template does not publish', () => {
    const parsed = parseTemplate(doc({ key: 'plan', kind: 'plan_with_items', title: '方案' }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const plan = resolvePlan(parsed.template, { cycleStartsAt: '2027-01-01', unitKind: 'school' } as any);
    expect(plan.stages[0].steps[0].deliverables[0]).not.toHaveProperty('publish');
  });

  it('refuses publish on other kinds and non-boolean values, naming the field', () => {
    const wrongKind = parseTemplate(doc({ key: 'r', kind: 'report', title: '报告', publish: true }));
    expect(wrongKind.ok).toBe(false);
    expect(!wrongKind.ok && wrongKind.problems).toEqual([
      {
        field: 'stages[0].steps[0].deliverables[0].publish',
        problem: 'only plan_with_items deliverables are published',
      },
    ]);
    const notBoolean = parseTemplate(doc({ key: 'plan', kind: 'plan_with_items', title: '方案', publish: 'yes' }));
    expect(!notBoolean.ok && notBoolean.problems.map((p) => p.field)).toEqual([
      'stages[0].steps[0].deliverables[0].publish',
    ]);
  });

  it('the built-in 2009 campaign publishes its rectification plan (方案要公布，接受监督)', () => {
    const parsed = parseTemplate(
      readFileSync(join(repoRoot, 'templates/builtin/xuhui-2009-study-practice.yaml'), 'utf8'),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const step = parsed.template.stages.flatMap((s) => s.steps).find((s) => s.key === 'rectification-plan')!;
    expect(step.deliverables.map((d) => [d.key, d.publish ?? false])).toEqual([
      ['rectification-plan', true],
      ['plan-publication', false],
    ]);
  });
});
