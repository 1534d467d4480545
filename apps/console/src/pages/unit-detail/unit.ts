import type { components } from '../../api/schema';
import { dayjs } from '../../shared/time';

export type UnitDetail = components['schemas']['UnitDetailDto'];
export type UnitStep = components['schemas']['UnitStepDto'];
export type TimelineEntry = components['schemas']['TimelineEntryDto'];
export type UnitNotice = components['schemas']['UnitNoticeDto'];

/** React Query keys of one unit's page; a steering action invalidates the first. */
export const unitKey = (cycleId: string, unit: string) => ['unit-detail', cycleId, unit] as const;

/** 2026年3月1日 09:00:05 — the timeline's instants need seconds (relative plans run in seconds in tests and drills). */
export function formatInstant(value: string | null | undefined, timeZone: string): string {
  return value ? dayjs(value).tz(timeZone).format('YYYY年M月D日 HH:mm:ss') : '—';
}

/**
 * Temporal events that are the engine's own bookkeeping — timers, activities, workflow tasks, markers: folded away
 * unless the reader asks for them. Signals, updates, starts, continue-as-new and failures stay visible.
 */
export function isEngineInternal(e: Pick<TimelineEntry, 'source' | 'kind'>): boolean {
  return (
    e.source === 'temporal' &&
    /^(Timer|ActivityTask|WorkflowTask|MarkerRecorded|UpsertWorkflowSearchAttributes|WorkflowPropertiesModified)/.test(
      e.kind,
    )
  );
}

/** Steps that still wait for something: the office may move their due date or excuse the unit. */
export const isLive = (s: UnitStep) => !['accepted', 'waived', 'cancelled'].includes(s.status);

/** antd's link blue (#1677ff) is below 4.5:1 on white at 12–14 px; this darker blue passes (axe color-contrast). */
export const LINK_STYLE = { color: '#0958d9' } as const;
