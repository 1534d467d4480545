/**
 * Evaluation forms (群众评议, 三测评, 满意度测评): what a form may ask, whether one respondent's answers fit it, and
 * what a unit's answers add up to. Pure: the api validates request shapes with its DTOs and calls these.
 */
import type { FieldProblem } from '../errors';

export const QUESTION_TYPES = ['scale', 'choice', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A question as the office writes it (defaults not filled in yet). */
export interface QuestionInput {
  key: string;
  text: string;
  type: QuestionType;
  min?: number;
  max?: number;
  satisfiedAtLeast?: number;
  options?: { value: string; label: string; satisfied?: boolean }[];
  required?: boolean;
}

/** The stored form: questions with defaults filled in. */
export type Question =
  | { key: string; text: string; type: 'scale'; min: number; max: number; satisfiedAtLeast?: number; required: boolean }
  | {
      key: string;
      text: string;
      type: 'choice';
      options: { value: string; label: string; satisfied?: boolean }[];
      required: boolean;
    }
  | { key: string; text: string; type: 'text'; required: boolean };

export interface EvaluationForm {
  questions: Question[];
}

/** Cross-field checks (a request's shape is the caller's to check); returns the normalised form or the problems. */
export function normaliseForm(questions: QuestionInput[]): { form?: EvaluationForm; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const out: Question[] = questions.map((q, i) => {
    const at = `questions[${i}]`;
    if (seen.has(q.key)) problems.push({ field: `${at}.key`, problem: 'appears twice' });
    seen.add(q.key);
    const required = q.required ?? true;
    if (q.type === 'scale') {
      const min = q.min ?? 1;
      const max = q.max ?? 5;
      if (max <= min) problems.push({ field: `${at}.max`, problem: `must be greater than min (${min})` });
      if (q.satisfiedAtLeast !== undefined && (q.satisfiedAtLeast < min || q.satisfiedAtLeast > max))
        problems.push({ field: `${at}.satisfiedAtLeast`, problem: `must be between ${min} and ${max}` });
      if (q.options) problems.push({ field: `${at}.options`, problem: 'only choice questions have options' });
      return { key: q.key, text: q.text, type: 'scale', min, max, satisfiedAtLeast: q.satisfiedAtLeast, required };
    }
    if (q.type === 'choice') {
      if (!q.options || q.options.length < 2)
        problems.push({ field: `${at}.options`, problem: 'a choice question needs at least two options' });
      const values = (q.options ?? []).map((o) => o.value);
      if (new Set(values).size !== values.length)
        problems.push({ field: `${at}.options`, problem: 'option values must be unique' });
      return {
        key: q.key,
        text: q.text,
        type: 'choice',
        options: (q.options ?? []).map((o) => ({ value: o.value, label: o.label, satisfied: o.satisfied })),
        required,
      };
    }
    return { key: q.key, text: q.text, type: 'text', required: q.required ?? false };
  });
  return problems.length ? { problems } : { form: { questions: out }, problems };
}

/** Problems with one respondent's answers: every required question answered, values in range, nothing unknown. */
export function answerProblems(form: EvaluationForm, answers: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = new Set(form.questions.map((q) => q.key));
  for (const k of Object.keys(answers))
    if (!keys.has(k)) problems.push({ field: `answers.${k}`, problem: 'is not a question of this evaluation' });
  for (const q of form.questions) {
    const v = answers[q.key];
    const field = `answers.${q.key}`;
    if (v === undefined || v === null || v === '') {
      if (q.required) problems.push({ field, problem: 'is required' });
      continue;
    }
    if (q.type === 'scale' && !(Number.isInteger(v) && (v as number) >= q.min && (v as number) <= q.max))
      problems.push({ field, problem: `must be an integer from ${q.min} to ${q.max}` });
    if (q.type === 'choice' && !q.options.some((o) => o.value === v))
      problems.push({ field, problem: `must be one of: ${q.options.map((o) => o.value).join(', ')}` });
    if (q.type === 'text' && (typeof v !== 'string' || v.length > 2000))
      problems.push({ field, problem: 'must be text of at most 2000 characters' });
  }
  return problems;
}

export interface QuestionResult {
  key: string;
  type: Question['type'];
  responses: number;
  mean: number | null;
  distribution: Record<string, number>;
  satisfactionRate: number | null;
  /** text questions: the comments, sorted (never in arrival order). */
  comments?: string[];
}

/** Aggregates of one unit's responses per question. Rates and means are plain ratios (no rounding). */
export function aggregate(form: EvaluationForm, responses: Record<string, unknown>[]): QuestionResult[] {
  return form.questions.map((q) => {
    const values = responses.map((r) => r[q.key]).filter((v) => v !== undefined && v !== null && v !== '');
    const n = values.length;
    if (q.type === 'text')
      return {
        key: q.key,
        type: q.type,
        responses: n,
        mean: null,
        distribution: {},
        satisfactionRate: null,
        comments: (values as string[]).slice().sort(),
      };
    const distribution: Record<string, number> = {};
    if (q.type === 'scale') for (let v = q.min; v <= q.max; v++) distribution[String(v)] = 0;
    else for (const o of q.options) distribution[o.value] = 0;
    for (const v of values) distribution[String(v)] = (distribution[String(v)] ?? 0) + 1;
    if (q.type === 'scale') {
      const sum = (values as number[]).reduce((a, b) => a + b, 0);
      const threshold = q.satisfiedAtLeast;
      return {
        key: q.key,
        type: q.type,
        responses: n,
        mean: n ? sum / n : null,
        distribution,
        satisfactionRate:
          threshold === undefined || !n ? null : (values as number[]).filter((v) => v >= threshold).length / n,
      };
    }
    const satisfiedValues = new Set(q.options.filter((o) => o.satisfied).map((o) => o.value));
    return {
      key: q.key,
      type: q.type,
      responses: n,
      mean: null,
      distribution,
      satisfactionRate:
        satisfiedValues.size && n ? values.filter((v) => satisfiedValues.has(v as string)).length / n : null,
    };
  });
}

/**
 * Aggregates of fewer responses are withheld: the office knows who has not answered (reminders), so with one or two
 * respondents an aggregate would give away individual answers.
 */
export const MIN_RESPONSES_SHOWN = 3;

export interface UnitResult {
  unitId: string;
  unitCode: string;
  unitName: string;
  issued: number;
  responded: number;
  /** responded / issued (0 when nothing was issued), unrounded. */
  responseRate: number;
  /** null while fewer than MIN_RESPONSES_SHOWN answered (`withheld` says why). */
  questions: QuestionResult[] | null;
  withheld?: string;
}

/** One unit's results: its response rate, and the aggregates once enough answered. */
export function unitResult(
  form: EvaluationForm,
  unit: { unitId: string; unitCode: string; unitName: string; issued: number },
  answers: Record<string, unknown>[],
): UnitResult {
  const shown = answers.length >= MIN_RESPONSES_SHOWN;
  return {
    ...unit,
    responded: answers.length,
    responseRate: unit.issued ? answers.length / unit.issued : 0,
    questions: shown ? aggregate(form, answers) : null,
    ...(shown
      ? {}
      : {
          withheld: `fewer than ${MIN_RESPONSES_SHOWN} responses: aggregates are withheld so that no single answer can be read off`,
        }),
  };
}
