import { DateTime } from 'luxon';
import { rollToWorkingDay } from '../calendar/working-days';
import { DomainError } from '../errors';
import type { CyclePlan, PlannedStage, PlannedStep } from '../plan/unit-plan';
import type { UnitKind } from '../units/unit-kind';
import { layoutTemplate, type LaidOutStep } from './layout';
import type { CampaignTemplate } from './schema';
import { durationMs, toUtcIso } from './when';

export interface ResolvePlanOptions {
  /** The cycle's start instant (a Date, or an ISO string; a bare date means 00:00 in the template's zone). */
  cycleStartsAt: Date | string;
  unitKind: UnitKind;
  templateVersion: number;
  calendar?: {
    /** Office closures (local YYYY-MM-DD) on top of public holidays, used when due dates roll. */
    closures?: readonly string[];
    /** Overrides the template's `calendar.rollDueToWorkingDay`. */
    rollDueToWorkingDay?: boolean;
  };
}

function cycleStartOf(value: Date | string, zone: string): DateTime {
  const dt =
    value instanceof Date
      ? DateTime.fromJSDate(value, { zone })
      : /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? DateTime.fromISO(value, { zone })
        : DateTime.fromISO(value, { setZone: false, zone });
  if (!dt.isValid)
    throw DomainError.validation('invalid cycle start', [
      { field: 'cycleStartsAt', problem: 'must be an ISO date or date-time' },
    ]);
  return dt;
}

/**
 * The plan one unit kind follows in one cycle: absolute dates moved by (cycle start year − referenceYear) whole
 * years, relative times measured from the cycle / stage start, recurring milestones expanded, steps that do not
 * apply to the unit kind dropped (and stages left empty), due dates rolled to working days when the template asks.
 * Instants are UTC ISO strings; offsets are milliseconds. Expects a template that `parseTemplate` accepted.
 */
export function resolvePlan(t: CampaignTemplate, opts: ResolvePlanOptions): CyclePlan {
  const cycleStart = cycleStartOf(opts.cycleStartsAt, t.timeZone);
  const ctx = { zone: t.timeZone, yearShift: cycleStart.year - t.referenceYear, cycleStart };
  const roll = opts.calendar?.rollDueToWorkingDay ?? t.calendar.rollDueToWorkingDay;
  const closures = opts.calendar?.closures;

  const toPlanned = (stageKey: string, s: LaidOutStep): PlannedStep => {
    const due = roll
      ? DateTime.fromJSDate(rollToWorkingDay(s.due.toJSDate(), t.timeZone, { closures }), { zone: t.timeZone })
      : s.due;
    const step: PlannedStep = {
      key: s.key,
      stageKey,
      title: s.title,
      opensAt: toUtcIso(s.opens),
      dueAt: toUtcIso(due),
      required: s.required,
      reviewRequired: s.review === 'office',
      deliverables: s.deliverables.map((d) => ({
        key: d.key,
        kind: d.kind,
        title: d.title,
        required: d.required,
        ...(d.minHours !== undefined ? { minHours: d.minHours } : {}),
        ...(d.publish ? { publish: true } : {}),
      })),
      reminderOffsetsMs: s.reminders.map(durationMs).sort((a, b) => b - a),
      escalation: s.escalation.map((r) => ({ afterMs: durationMs(r.after), to: r.to, bulletin: r.bulletin })),
    };
    if (s.milestone) step.milestone = { ...s.milestone };
    return step;
  };

  const stages: PlannedStage[] = [];
  for (const stage of layoutTemplate(t, ctx)) {
    const steps = stage.steps
      .filter((s) => !s.appliesTo || s.appliesTo.includes(opts.unitKind))
      .map((s) => toPlanned(stage.key, s));
    if (!steps.length) continue;
    // A deadline rolled past the window's end (a holiday at the very end of a stage) stretches the window with it.
    const latestDue = steps.reduce((max, s) => (s.dueAt > max ? s.dueAt : max), toUtcIso(stage.closes));
    stages.push({
      key: stage.key,
      title: stage.title,
      opensAt: toUtcIso(stage.opens),
      closesAt: latestDue,
      gating: stage.gating,
      steps,
    });
  }
  return {
    templateKey: t.key,
    templateVersion: opts.templateVersion,
    campaignName: t.name,
    timeZone: t.timeZone,
    cycleStartsAt: toUtcIso(cycleStart),
    ...(t.calendar.quietHours ? { quietHours: { ...t.calendar.quietHours } } : {}),
    ...(closures?.length ? { closures: [...closures] } : {}),
    stages,
  };
}
