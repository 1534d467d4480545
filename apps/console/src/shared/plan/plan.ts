import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * The resolved plan the api previews (GET /api/templates/{key}/versions/{v}?startsOn&unitKind → `preview`). The
 * OpenAPI document describes `preview` as an open object (its full type is CyclePlan in libs/domain/src/plan), so the
 * console reads this subset of it.
 */
export interface PreviewPlan {
  timeZone: string;
  cycleStartsAt: string;
  stages: {
    key: string;
    title: string;
    opensAt: string;
    closesAt: string;
    steps: {
      key: string;
      title: string;
      opensAt: string;
      dueAt: string;
      required: boolean;
      reminderOffsetsMs: number[];
      escalation: { afterMs: number; to: 'unit' | 'parent' | 'office'; bulletin: boolean }[];
    }[];
  }[];
}

/** The template version's plan for a cycle starting on `startsOn` (local date) for one unit kind; off until all are set. */
export function usePlanPreview(key?: string, version?: number, startsOn?: string, unitKind?: string) {
  return useQuery({
    queryKey: ['templates', key, version, 'preview', startsOn, unitKind],
    enabled: Boolean(key && version && startsOn && unitKind),
    queryFn: async () => {
      const v = await unwrap(
        api.GET('/api/templates/{key}/versions/{version}', {
          params: { path: { key: key!, version: version! }, query: { startsOn, unitKind: unitKind as never } },
        }),
      );
      return v.preview as unknown as PreviewPlan;
    },
  });
}

/** Holidays and 调休 workdays in a range of local dates, for marking timelines. */
export function useSpecialDays(from?: string, to?: string) {
  return useQuery({
    queryKey: ['calendar', from, to],
    enabled: Boolean(from && to),
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET('/api/calendar/special-days', { params: { query: { from: from!, to: to! } } })),
  });
}
