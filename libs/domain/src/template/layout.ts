import type { DateTime } from 'luxon';
import type { FieldProblem } from '../errors';
import type { CampaignTemplate, DeliverableSpec, EscalationRungSpec, StepSpec } from './schema';
import { expandRecurring } from './recurring';
import { resolveWhen, showLocal, type TimeContext } from './when';

/**
 * The template laid out on a concrete cycle start: every stage window and step time resolved, recurring milestones
 * expanded and placed in stages, each item remembering its document path. parseTemplate uses it (at a nominal start)
 * to find ordering problems; resolvePlan uses it to produce the CyclePlan — so both read the document the same way.
 */
export interface LaidOutStep {
  path: string;
  key: string;
  title: string;
  appliesTo?: string[];
  required: boolean;
  review: 'office' | 'none';
  reminders: string[];
  escalation: EscalationRungSpec[];
  deliverables: DeliverableSpec[];
  opens: DateTime;
  due: DateTime;
  milestone?: { series: string; occurrence: number; label: string };
}

export interface LaidOutStage {
  path: string;
  key: string;
  title: string;
  gating: boolean;
  opens: DateTime;
  closes: DateTime;
  steps: LaidOutStep[];
}

function isFromStage(when: unknown): boolean {
  return typeof when === 'object' && when !== null && (when as { from?: string }).from === 'stage';
}

function inherit(t: CampaignTemplate, s: Pick<StepSpec, 'review' | 'reminders' | 'escalation' | 'appliesTo'>) {
  return {
    appliesTo: s.appliesTo ?? t.defaults.appliesTo,
    review: s.review ?? t.defaults.review,
    reminders: s.reminders ?? t.defaults.reminders,
    escalation: s.escalation ?? t.defaults.escalation,
  };
}

/** Lays out the template; ordering problems go to `problems` (pass an array you then check, or ignore them). */
export function layoutTemplate(t: CampaignTemplate, ctx: TimeContext, problems: FieldProblem[] = []): LaidOutStage[] {
  const stagesOpen: DateTime[] = [];
  const stages: LaidOutStage[] = t.stages.map((s, i) => {
    const path = `stages[${i}]`;
    if (isFromStage(s.window.opens)) {
      problems.push({
        field: `${path}.window.opens`,
        problem: "cannot be measured from the stage's own start; use from: cycle or a date",
      });
    }
    const opens = resolveWhen(
      isFromStage(s.window.opens) ? { after: 'PT0S', from: 'cycle' } : s.window.opens,
      'start',
      ctx,
    );
    const closes = resolveWhen(s.window.closes, 'end', ctx, opens);
    if (closes < opens)
      problems.push({
        field: `${path}.window.closes`,
        problem: `closes (${showLocal(closes)}) before the window opens (${showLocal(opens)})`,
      });
    else if (closes.equals(opens))
      problems.push({
        field: `${path}.window.closes`,
        problem: `closes the moment the window opens (${showLocal(opens)}); a window needs some length`,
      });
    const steps = s.steps.map((step, j): LaidOutStep => {
      const stepPath = `${path}.steps[${j}]`;
      const stepOpens = step.opens === undefined ? opens : resolveWhen(step.opens, 'start', ctx, opens);
      const due = resolveWhen(step.due, 'end', ctx, opens);
      if (step.opens !== undefined) {
        if (stepOpens < opens) problems.push({ field: `${stepPath}.opens`, problem: 'before the stage window opens' });
        else if (stepOpens > closes)
          problems.push({ field: `${stepPath}.opens`, problem: 'after the stage window closes' });
      }
      if (due < opens) problems.push({ field: `${stepPath}.due`, problem: 'before the stage window opens' });
      else if (due < stepOpens) problems.push({ field: `${stepPath}.due`, problem: 'before the step opens' });
      else if (due > closes) problems.push({ field: `${stepPath}.due`, problem: 'after the stage window closes' });
      return {
        path: stepPath,
        key: step.key,
        title: step.title,
        required: step.required,
        ...inherit(t, step),
        deliverables: step.deliverables,
        opens: stepOpens,
        due,
      };
    });
    if (i > 0 && opens < stagesOpen[i - 1]) {
      problems.push({
        field: `${path}.window.opens`,
        problem: "before the previous stage's window opens (stages are listed in the order units go through them)",
      });
    }
    stagesOpen.push(opens);
    return { path, key: s.key, title: s.title, gating: s.gating, opens, closes, steps };
  });

  t.recurring.forEach((r, i) => {
    const path = `recurring[${i}]`;
    const named = r.stage === undefined ? undefined : stages.find((s) => s.key === r.stage);
    if (r.stage !== undefined && !named) {
      problems.push({ field: `${path}.stage`, problem: `no stage has the key '${r.stage}'` });
      return;
    }
    for (const occ of expandRecurring(r, path, ctx, problems, named?.opens)) {
      const stage = named ?? stages.find((s) => occ.due >= s.opens && occ.due <= s.closes);
      if (!stage) {
        problems.push({
          field: occ.duePath,
          problem: `occurrence ${occ.occurrence} (due ${showLocal(occ.due)}) falls in no stage's window`,
        });
        continue;
      }
      let opens = occ.opens ?? stage.opens;
      if (opens < stage.opens) {
        if (occ.explicitOpens)
          problems.push({ field: occ.duePath.replace(/\.due$/, '.opens'), problem: 'before the stage window opens' });
        opens = stage.opens;
      }
      if (occ.due < stage.opens)
        problems.push({
          field: occ.duePath,
          problem: `occurrence ${occ.occurrence} is due before the stage window opens`,
        });
      else if (occ.due < opens)
        problems.push({ field: occ.duePath, problem: `occurrence ${occ.occurrence} is due before it opens` });
      else if (occ.due > stage.closes)
        problems.push({
          field: occ.duePath,
          problem: `occurrence ${occ.occurrence} (due ${showLocal(occ.due)}) is due after the stage window closes`,
        });
      stage.steps.push({
        path,
        key: `${r.series}#${occ.occurrence}`,
        title: `${r.title}（${occ.label}）`,
        required: r.required,
        ...inherit(t, r),
        deliverables: r.deliverables,
        opens,
        due: occ.due,
        milestone: { series: r.series, occurrence: occ.occurrence, label: occ.label },
      });
    }
  });
  // Steps in order of their deadlines (stable: the document's order breaks ties).
  for (const s of stages) s.steps.sort((a, b) => a.due.toMillis() - b.due.toMillis());
  return stages;
}
