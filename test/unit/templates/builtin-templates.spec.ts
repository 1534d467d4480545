import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CyclePlan, PlannedStep } from '../../../libs/domain/src/plan/unit-plan';
import { parseTemplate, resolvePlan, type CampaignTemplate } from '../../../libs/domain/src/template';
import type { UnitKind } from '../../../libs/domain/src/units/unit-kind';
import { repoRoot } from '../../support/paths';

const dir = join(repoRoot, 'templates', 'builtin');

function load(file: string): CampaignTemplate {
  const result = parseTemplate(readFileSync(join(dir, file), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.problems)}`);
  return result.template;
}

function plan(t: CampaignTemplate, cycleStartsAt: string, unitKind: UnitKind = 'school'): CyclePlan {
  return resolvePlan(t, { cycleStartsAt, unitKind, templateVersion: 1 });
}

function step(p: CyclePlan, key: string): PlannedStep {
  const found = p.stages.flatMap((s) => s.steps).find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key} in the plan`);
  return found;
}

const dues = (p: CyclePlan) => Object.fromEntries(p.stages.flatMap((s) => s.steps.map((x) => [x.key, x.dueAt])));
const stageKeysOf = (p: CyclePlan) => p.stages.map((s) => [s.key, s.steps.map((x) => x.key)]);

const standardNotices = {
  reminderOffsetsMs: [7 * 86_400_000, 86_400_000],
  escalation: [
    { afterMs: 0, to: 'unit', bulletin: false },
    { afterMs: 3 * 86_400_000, to: 'parent', bulletin: false },
    { afterMs: 7 * 86_400_000, to: 'office', bulletin: true },
  ],
};

describe('built-in templates', () => {
  it('are the three seed campaigns, and every one parses', () => {
    expect(readdirSync(dir).sort()).toEqual([
      'changzhou-2010-2012-excellence.yaml',
      'xuhui-2009-study-practice.yaml',
      'xuhui-2011-satisfaction.yaml',
    ]);
    for (const f of readdirSync(dir)) expect(load(f).key).toBe(f.replace(/\.yaml$/, ''));
  });

  describe('seed 004: 2009 学习实践活动, three stages and six steps', () => {
    const t = load('xuhui-2009-study-practice.yaml');

    it('resolves in 2009 to the seed’s windows: Mar–Apr, May–Jun, Jun–Aug (overlapping), mobilisation by 20 March', () => {
      const p = plan(t, '2009-03-11');
      expect(p).toMatchObject({
        templateKey: 'xuhui-2009-study-practice',
        templateVersion: 1,
        timeZone: 'Asia/Shanghai',
        cycleStartsAt: '2009-03-10T16:00:00.000Z',
        quietHours: { start: '21:00', end: '08:00' },
      });
      expect(p.closures).toBeUndefined();
      expect(stageKeysOf(p)).toEqual([
        ['study-research', ['mobilisation', 'study-and-research', 'emancipation-discussion']],
        ['analysis-inspection', ['democratic-life-meeting', 'analysis-report']],
        ['rectification', ['rectification-plan', 'solve-problems']],
      ]);
      expect(p.stages.map((s) => [s.opensAt, s.closesAt, s.gating])).toEqual([
        ['2009-02-28T16:00:00.000Z', '2009-04-30T15:59:59.000Z', true],
        ['2009-04-30T16:00:00.000Z', '2009-06-30T15:59:59.000Z', true],
        ['2009-05-31T16:00:00.000Z', '2009-08-31T15:59:59.000Z', true],
      ]);
      expect(dues(p)).toEqual({
        mobilisation: '2009-03-20T15:59:59.000Z',
        'study-and-research': '2009-04-30T15:59:59.000Z',
        'emancipation-discussion': '2009-04-30T15:59:59.000Z',
        'democratic-life-meeting': '2009-06-30T15:59:59.000Z',
        'analysis-report': '2009-06-30T15:59:59.000Z',
        'rectification-plan': '2009-08-31T15:59:59.000Z',
        'solve-problems': '2009-08-31T15:59:59.000Z',
      });
    });

    it('asks for the deliverables the seed names: evaluation of the analysis report, a plan with items, 48 hours', () => {
      const p = plan(t, '2009-03-11');
      expect(step(p, 'analysis-report').deliverables.map((d) => [d.key, d.kind])).toEqual([
        ['analysis-report', 'report'],
        ['consultation', 'report'],
        ['report-evaluation', 'evaluation'],
      ]);
      expect(step(p, 'rectification-plan').deliverables.map((d) => [d.key, d.kind, d.publish ?? false])).toEqual([
        ['rectification-plan', 'plan_with_items', true],
        ['plan-publication', 'free_form', false],
      ]);
      expect(step(p, 'solve-problems').deliverables).toEqual([
        { key: 'items-completed', kind: 'report', title: '整改项目完成情况', required: true },
        { key: 'closing-summary', kind: 'report', title: '学习实践活动总结', required: true },
        { key: 'closing-bulletin', kind: 'report', title: '活动情况通报', required: true },
        { key: 'satisfaction-survey', kind: 'evaluation', title: '满意度测评', required: true },
        { key: 'archive', kind: 'free_form', title: '材料整理归档', required: true },
        {
          key: 'members-activity-hours',
          kind: 'attendance_hours',
          title: '党员集中活动时间（不少于48小时）',
          required: true,
          minHours: 48,
        },
      ]);
      for (const s of p.stages.flatMap((x) => x.steps))
        expect(s).toMatchObject({ required: true, reviewRequired: true, ...standardNotices });
    });

    it('gives retirees’ branches no steps (离休支部按区老干部局的要求开展活动)', () => {
      expect(plan(t, '2009-03-11', 'retirees').stages).toEqual([]);
    });

    it('re-runs in 2027 with every date moved 18 years, a Saturday deadline rolled to Monday', () => {
      const p = plan(t, '2027-03-11');
      expect(dues(p)).toEqual({
        mobilisation: '2027-03-22T15:59:59.000Z', // 2027-03-20 is a Saturday → Monday 22nd, same local time
        'study-and-research': '2027-04-30T15:59:59.000Z',
        'emancipation-discussion': '2027-04-30T15:59:59.000Z',
        'democratic-life-meeting': '2027-06-30T15:59:59.000Z',
        'analysis-report': '2027-06-30T15:59:59.000Z',
        'rectification-plan': '2027-08-31T15:59:59.000Z',
        'solve-problems': '2027-08-31T15:59:59.000Z',
      });
      expect(p.stages[0].opensAt).toBe('2027-02-28T16:00:00.000Z');
    });
  });

  describe('seed 000: 2011 “满意在徐汇”, quarterly milestones and half-yearly leader reviews', () => {
    const t = load('xuhui-2011-satisfaction.yaml');

    it('resolves in 2011 to one stage per quarter with the seed’s items, leader reviews every half-year', () => {
      const p = plan(t, '2011-03-29');
      expect(stageKeysOf(p)).toEqual([
        ['q1-plan-and-commit', ['activity-plan', 'theme-and-carrier', 'public-commitment']],
        ['q2-recognition', ['recognition', 'leader-review#1']],
        ['q3-progress-check', ['track-effective-teaching', 'track-student-health', 'track-teacher-development']],
        ['q4-assessment', ['performance-assessment', 'mass-evaluation', 'leader-review#2']],
      ]);
      expect(dues(p)).toEqual({
        'activity-plan': '2011-03-31T15:59:59.000Z',
        'theme-and-carrier': '2011-03-31T15:59:59.000Z',
        'public-commitment': '2011-03-31T15:59:59.000Z',
        recognition: '2011-06-30T15:59:59.000Z', // “七一”前
        'leader-review#1': '2011-06-30T15:59:59.000Z',
        'track-effective-teaching': '2011-09-30T15:59:59.000Z',
        'track-student-health': '2011-09-30T15:59:59.000Z',
        'track-teacher-development': '2011-09-30T15:59:59.000Z',
        'performance-assessment': '2011-12-30T15:59:59.000Z',
        'mass-evaluation': '2011-12-30T15:59:59.000Z',
        'leader-review#2': '2011-12-30T15:59:59.000Z',
      });
      expect(step(p, 'leader-review#1').milestone).toEqual({
        series: 'leader-review',
        occurrence: 1,
        label: '2011年上半年',
      });
      expect(step(p, 'leader-review#2')).toMatchObject({
        title: '领导点评（2011年下半年）',
        opensAt: '2011-09-30T16:00:00.000Z',
      });
      expect(step(p, 'public-commitment').deliverables.map((d) => d.kind)).toEqual(['commitment']);
      expect(step(p, 'mass-evaluation').deliverables.map((d) => d.key)).toEqual([
        'mass-evaluation',
        'masses-rate-members',
        'members-rate-organisation',
        'units-rate-committee',
      ]);
    });

    it('gives each kind of unit only its own action tracks (五项行动, 分类指导)', () => {
      const q3 = (kind: UnitKind) =>
        plan(t, '2011-03-29', kind)
          .stages.find((s) => s.key === 'q3-progress-check')
          ?.steps.map((s) => s.key);
      expect(q3('kindergarten')).toEqual(['track-zero-rejection', 'track-student-health', 'track-teacher-development']);
      expect(q3('agency')).toEqual(['track-agency-conduct']);
      expect(q3('university')).toEqual(['track-teacher-development']);
      expect(q3('retirees')).toBeUndefined(); // no track applies: the Q3 stage is dropped
      expect(plan(t, '2011-03-29', 'retirees').stages.map((s) => s.key)).toEqual([
        'q1-plan-and-commit',
        'q2-recognition',
        'q4-assessment',
      ]);
    });

    it('re-runs in 2027 with every date moved 16 years', () => {
      const d = dues(plan(t, '2027-01-04'));
      expect([d['activity-plan'], d['leader-review#1'], d['track-effective-teaching'], d['leader-review#2']]).toEqual([
        '2027-03-31T15:59:59.000Z',
        '2027-06-30T15:59:59.000Z',
        '2027-09-30T15:59:59.000Z',
        '2027-12-30T15:59:59.000Z',
      ]);
    });
  });

  describe('seed 002: 2010–2012 创先争优, three steps over six semesters', () => {
    const t = load('changzhou-2010-2012-excellence.yaml');

    it('resolves in 2010: the implementation plan due 15 July 2010, six semester summaries, recognition before 七一 2012', () => {
      const p = plan(t, '2010-06-28');
      expect(step(p, 'implementation-plan').dueAt).toBe('2010-07-15T15:59:59.000Z'); // 2010-07-15 23:59:59 Asia/Shanghai
      expect(p.stages.map((s) => [s.key, s.opensAt, s.closesAt])).toEqual([
        ['mobilise-and-study', '2010-06-20T16:00:00.000Z', '2010-08-20T15:59:59.000Z'], // 6月下旬—8月中旬
        ['build-mechanisms', '2010-08-20T16:00:00.000Z', '2012-06-30T15:59:59.000Z'], // 2010年8月下旬—2012年6月底
        ['models-and-summary', '2012-06-30T16:00:00.000Z', '2012-12-31T15:59:59.000Z'], // 2012年7月—2012年底
      ]);
      const semesters = p.stages.flatMap((s) =>
        s.steps
          .filter((x) => x.milestone?.series === 'semester-summary')
          .map((x) => [s.key, x.key, x.dueAt, x.milestone!.label]),
      );
      expect(semesters).toEqual([
        ['mobilise-and-study', 'semester-summary#1', '2010-08-20T15:59:59.000Z', '2010年春季学期（动员部署）'],
        ['build-mechanisms', 'semester-summary#2', '2011-01-31T15:59:59.000Z', '2010年秋季学期'],
        ['build-mechanisms', 'semester-summary#3', '2011-07-15T15:59:59.000Z', '2011年春季学期'],
        ['build-mechanisms', 'semester-summary#4', '2012-01-31T15:59:59.000Z', '2011年秋季学期'],
        ['build-mechanisms', 'semester-summary#5', '2012-06-29T15:59:59.000Z', '2012年春季学期'],
        ['models-and-summary', 'semester-summary#6', '2012-12-31T15:59:59.000Z', '2012年秋季学期'],
      ]);
      expect(step(p, 'recognition').dueAt).toBe('2012-06-29T15:59:59.000Z'); // before 七一 2012
      expect(step(p, 'final-summary').dueAt).toBe('2012-12-31T15:59:59.000Z');
      expect(step(p, 'implementation-plan').deliverables.map((d) => d.kind)).toEqual([
        'report',
        'commitment',
        'free_form',
      ]);
    });

    it('asks only universities for the university governance mechanism', () => {
      expect(() => step(plan(t, '2010-06-28', 'school'), 'university-governance')).toThrow(
        'no step university-governance',
      );
      expect(step(plan(t, '2010-06-28', 'university'), 'university-governance').dueAt).toBe('2012-06-29T15:59:59.000Z');
    });

    it('re-runs from 2027 with every date moved 17 years (and weekend deadlines rolled)', () => {
      const p = plan(t, '2027-06-28');
      expect(step(p, 'implementation-plan').dueAt).toBe('2027-07-15T15:59:59.000Z'); // a Thursday
      expect(step(p, 'semester-summary#2').dueAt).toBe('2028-01-31T15:59:59.000Z'); // Monday
      expect(step(p, 'semester-summary#5').dueAt).toBe('2029-06-29T15:59:59.000Z'); // Friday
      // 2028-12-30 is a Saturday → Monday 2029-01-01: chinese-days 1.5.7 has no holiday data after 2026, so only
      // weekends count there (New Year's Day is not known to be off).
      expect(step(p, 'annual-evaluation#2').dueAt).toBe('2029-01-01T15:59:59.000Z');
    });
  });
});
