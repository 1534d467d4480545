import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import type { Translate } from '../i18n/I18nProvider';

export type Task = components['schemas']['TaskDto'];
export type TaskDetail = components['schemas']['TaskDetailDto'];
export type PortalUnit = components['schemas']['PortalUnitDto'];
export type Bucket = 'overdue' | 'returned' | 'due_soon' | 'open' | 'submitted' | 'upcoming' | 'done';

/** What needs the unit most comes first (the api sorts the same way). */
export const BUCKETS: Bucket[] = ['overdue', 'returned', 'due_soon', 'open', 'submitted', 'upcoming'];
export const BUCKET_COLORS: Record<Bucket, string> = {
  overdue: 'red',
  returned: 'volcano',
  due_soon: 'orange',
  open: 'blue',
  submitted: 'cyan',
  upcoming: 'default',
  done: 'green',
};

export const tasksKey = (scope: 'active' | 'all') => ['portal', 'tasks', scope] as const;
export const taskKey = (cycleId: string, unit: string, stepKey: string) =>
  ['portal', 'task', cycleId, unit, stepKey] as const;

/** GET /api/portal/tasks: the caller's units (a secretary: the subtree) and their steps, most urgent first. */
export function useTasks(scope: 'active' | 'all' = 'active') {
  return useQuery({
    queryKey: tasksKey(scope),
    queryFn: () => unwrap(api.GET('/api/portal/tasks', { params: { query: { scope } } })),
    refetchInterval: 60_000,
    staleTime: 0,
  });
}

export function useTask(cycleId: string, unit: string, stepKey: string) {
  return useQuery({
    queryKey: taskKey(cycleId, unit, stepKey),
    queryFn: () =>
      unwrap(api.GET('/api/portal/tasks/{cycleId}/{unit}/{stepKey}', { params: { path: { cycleId, unit, stepKey } } })),
    staleTime: 0,
  });
}

/** The unit the signed-in account works for (first of `units`, which the api lists own unit first). */
export function useOwnUnit(): PortalUnit | undefined {
  return useTasks().data?.units.find((u) => u.own);
}

/** The portal route of one task — the same one notices link to (activities/notices/notice-message.ts unitLink). */
export const taskPath = (t: Pick<Task, 'cycleId' | 'unitCode' | 'stepKey'>) =>
  `/my/tasks/${t.cycleId}/${encodeURIComponent(t.unitCode)}/${encodeURIComponent(t.stepKey)}`;

/** "还有3天", "今天截止", "已逾期2天", "4月1日开放" — the due date in words. */
export function dueWords(t: Pick<Task, 'bucket' | 'daysLeft' | 'daysOverdue'>, translate: Translate): string {
  if (t.bucket === 'overdue') return translate('portal.due.overdue', { n: t.daysOverdue });
  if (t.bucket === 'done') return translate('portal.due.done');
  if (t.daysLeft === 0) return translate('portal.due.today');
  return translate('portal.due.left', { n: t.daysLeft });
}
