import { DAY, HOUR, isoOf } from './time';

/** The 1–5 overall rating, satisfied from 4 on. */
export const overallQuestion = (text = '总体评价') => ({
  key: 'overall',
  text,
  type: 'scale',
  min: 1,
  max: 5,
  satisfiedAtLeast: 4,
});

/** A POST /api/evaluations body: a 满意度测评 with the overall rating, open from an hour ago for a week; override any field. */
export function evaluationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: '2026年度群众满意度测评',
    kind: 'satisfaction',
    opensAt: isoOf(now - HOUR),
    closesAt: isoOf(now + 7 * DAY),
    questions: [overallQuestion()],
    ...overrides,
  };
}
