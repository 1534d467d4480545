import type { Type } from '@nestjs/common';
import { activityClasses } from './activity-classes';

type ActivityFn = (...args: any[]) => Promise<unknown>;

/** Binds every public method of the activity providers into the map Temporal's Worker expects. */
export function collectActivities(
  resolve: <T>(cls: Type<T>) => T,
  classes: readonly Type<object>[] = activityClasses,
) {
  const activities: Record<string, ActivityFn> = {};
  for (const cls of classes) {
    const instance = resolve(cls) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const fn = instance[name];
      if (typeof fn !== 'function') continue;
      if (activities[name]) throw new Error(`Activity name ${name} is defined twice (in ${cls.name})`);
      activities[name] = (fn as ActivityFn).bind(instance);
    }
  }
  return activities;
}
