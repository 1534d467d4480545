/**
 * 践诺: how far a unit has kept its public commitment, from the leader reviews. Pure. The latest review's
 * assessment of a goal is its state; "past target" is judged at the latest review's date (not today), so the
 * summary says what the leader saw.
 */

/** A leader's assessment of one staged goal. */
export const ASSESSMENTS = ['fulfilled', 'partly', 'not_yet'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

export interface GoalView {
  id: string;
  ordinal: number;
  title: string;
  measure: string;
  targetDate: string;
}

export interface ReviewView {
  id: string;
  period: string;
  reviewer: string;
  reviewedOn: string;
  strengths: string;
  shortcomings: string;
  direction: string;
  recordedBy: string;
  recordedAt: string;
  goals: { goalId: string; ordinal: number; assessment: Assessment; comment: string }[];
}

export interface Fulfilment {
  latestPeriod: string | null;
  reviewCount: number;
  counts: { fulfilled: number; partly: number; notYet: number; notReviewed: number };
  /** fulfilled goals / all goals, two decimals. */
  fulfilledShare: number;
  goals: {
    goalId: string;
    ordinal: number;
    title: string;
    targetDate: string;
    latest: Assessment | 'not_reviewed';
    history: { period: string; assessment: Assessment }[];
    pastTargetUnfulfilled: boolean;
  }[];
  en: string;
  zh: string;
}

const periodZh = (p: string) => `${p.slice(0, 4)}年${p.endsWith('H1') ? '上' : '下'}半年`;

export function fulfilment(goals: GoalView[], reviews: ReviewView[]): Fulfilment {
  const ordered = [...reviews].sort((a, b) => a.period.localeCompare(b.period));
  const latest = ordered.at(-1);
  const perGoal = [...goals]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((g) => {
      const history = ordered.flatMap((r) =>
        r.goals.filter((x) => x.goalId === g.id).map((x) => ({ period: r.period, assessment: x.assessment })),
      );
      const state: Assessment | 'not_reviewed' = history.at(-1)?.assessment ?? 'not_reviewed';
      const pastTargetUnfulfilled = !!latest && g.targetDate < latest.reviewedOn && state !== 'fulfilled';
      return {
        goalId: g.id,
        ordinal: g.ordinal,
        title: g.title,
        targetDate: g.targetDate,
        latest: state,
        history,
        pastTargetUnfulfilled,
      };
    });
  const count = (s: string) => perGoal.filter((g) => g.latest === s).length;
  const counts = {
    fulfilled: count('fulfilled'),
    partly: count('partly'),
    notYet: count('not_yet'),
    notReviewed: count('not_reviewed'),
  };
  const fulfilledShare = goals.length ? Math.round((counts.fulfilled / goals.length) * 100) / 100 : 0;
  const late = perGoal.filter((g) => g.pastTargetUnfulfilled);

  let en: string;
  let zh: string;
  if (!latest) {
    en = `Not reviewed yet: ${goals.length} staged goal${goals.length === 1 ? '' : 's'}`;
    zh = `尚未点评：共${goals.length}项阶段性目标`;
  } else {
    en = `As of the ${latest.period} review (${latest.reviewedOn}, ${latest.reviewer}): ${counts.fulfilled} of ${goals.length} goals fulfilled, ${counts.partly} partly, ${counts.notYet} not yet`;
    zh = `截至${periodZh(latest.period)}点评（${latest.reviewedOn}，${latest.reviewer}）：${goals.length}项阶段性目标中已践诺${counts.fulfilled}项、部分践诺${counts.partly}项、尚未践诺${counts.notYet}项`;
    if (late.length) {
      en += `; past target and not fulfilled: ${late.map((g) => `goal ${g.ordinal} (${g.targetDate})`).join(', ')}`;
      zh += `；逾期未践诺：${late.map((g) => `目标${g.ordinal}（${g.targetDate}）`).join('、')}`;
    }
  }
  return {
    latestPeriod: latest?.period ?? null,
    reviewCount: reviews.length,
    counts,
    fulfilledShare,
    goals: perGoal,
    en,
    zh,
  };
}
