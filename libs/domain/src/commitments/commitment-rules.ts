/**
 * 公开承诺 and 领导点评: what a commitment's staged goals and a leader's half-yearly review must satisfy beyond their
 * shape (which the api's DTOs check). Pure; dates are local `YYYY-MM-DD` strings, compared as text.
 */
import type { FieldProblem } from '../errors';
import type { Assessment, GoalView } from './fulfilment';

/** Goals start no earlier than the cycle, and no two share a title. */
export function goalProblems(goals: { title: string; targetDate: string }[], cycleStartDate: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  goals.forEach((g, i) => {
    if (g.targetDate < cycleStartDate)
      problems.push({ field: `goals[${i}].targetDate`, problem: `is before the cycle starts (${cycleStartDate})` });
    const twin = goals.findIndex((o) => o.title.trim() === g.title.trim());
    if (twin < i) problems.push({ field: `goals[${i}].title`, problem: `repeats goals[${twin}].title` });
  });
  return problems;
}

export interface ReviewInput {
  /** `YYYY-H1` or `YYYY-H2`. */
  period: string;
  reviewedOn: string;
  goals: { goalId: string; assessment: Assessment; comment?: string }[];
}

/** The first day of a half-year: `2027-H2` → `2027-07-01`. */
export const periodStart = (period: string) => `${period.slice(0, 4)}-${period.endsWith('H1') ? '01' : '07'}-01`;

/**
 * A review falls in or after the cycle's first year and is given no earlier than its half-year begins; it assesses
 * every goal of the commitment exactly once, and says what is missing wherever a goal is not fulfilled.
 */
export function reviewProblems(
  commitmentGoals: GoalView[],
  review: ReviewInput,
  cycleStartDate: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const start = periodStart(review.period);
  if (Number(review.period.slice(0, 4)) < Number(cycleStartDate.slice(0, 4)))
    problems.push({ field: 'period', problem: `is before the cycle starts (${cycleStartDate})` });
  if (review.reviewedOn < start)
    problems.push({ field: 'reviewedOn', problem: `is before the half-year ${review.period} begins (${start})` });
  const known = new Set(commitmentGoals.map((g) => g.id));
  const seen = new Map<string, number>();
  review.goals.forEach((a, i) => {
    if (!known.has(a.goalId))
      problems.push({ field: `goals[${i}].goalId`, problem: 'is not a goal of this commitment' });
    else if (seen.has(a.goalId))
      problems.push({ field: `goals[${i}].goalId`, problem: `assesses the same goal as goals[${seen.get(a.goalId)}]` });
    else seen.set(a.goalId, i);
    if (a.assessment !== 'fulfilled' && !a.comment?.trim())
      problems.push({
        field: `goals[${i}].comment`,
        problem: 'is required when a goal is not fulfilled (say what is missing)',
      });
  });
  const missing = commitmentGoals.filter((g) => !seen.has(g.id));
  if (missing.length && problems.every((p) => !p.field.endsWith('.goalId'))) {
    problems.push({
      field: 'goals',
      problem: `every goal must be assessed; missing: ${missing.map((g) => `goal ${g.ordinal} (${g.id})`).join(', ')}`,
    });
  }
  return problems;
}
