import type { Type } from '@nestjs/common';
import { activityClasses } from '../../../activities/activity-classes';
import { collectActivities } from '../../../activities/collect-activities';

/**
 * The main worker registers what collect-activities.ts lists (issue 12: no reflection, so the fan-out activities'
 * helpers `startOne` and `searchAttributesKnown` are no activities). Fakes at the edge: each provider is an object of
 * its class whose methods answer with the object they were called on, so a registered function shows both which
 * provider it belongs to and that it is bound to it.
 */
describe('activities registered by the main worker', () => {
  const instances = new Map<Type<object>, object>();
  const resolve = <T>(cls: Type<T>): T => {
    if (!instances.has(cls as Type<object>)) {
      const fake = Object.create(cls.prototype) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(cls.prototype))
        if (name !== 'constructor')
          fake[name] = async function (this: unknown) {
            return this;
          };
      instances.set(cls as Type<object>, fake);
    }
    return instances.get(cls as Type<object>) as T;
  };
  const activities = collectActivities(resolve);

  it('are exactly the activities the workflows call, by name', () => {
    expect(Object.keys(activities).sort()).toEqual([
      'checkAttendanceHours',
      'countUnfinishedUnits',
      'deliverNotice',
      'loadCycleOrdinalRange',
      'recordNotice',
      'recordRoundTrip',
      'recordUnitTransition',
      'setCycleStatus',
      'signalUnitWorkflowBatch',
      'startUnitWorkflowBatch',
    ]);
  });

  it('leave out the providers’ helper methods, which reflection used to register', () => {
    const fanoutMethods = Object.getOwnPropertyNames(
      activityClasses.find((cls) => cls.name === 'CycleFanoutActivities')!.prototype,
    );
    expect(fanoutMethods).toEqual(expect.arrayContaining(['startOne', 'searchAttributesKnown']));
    expect(
      Object.keys(activities).filter(
        (name) => name === 'startOne' || name === 'searchAttributesKnown' || name.startsWith('_'),
      ),
    ).toEqual([]);
  });

  it('call the method of their own provider, bound to it', async () => {
    const owner = (name: string) =>
      activityClasses.find((cls) => Object.getOwnPropertyNames(cls.prototype).includes(name))!;
    for (const [name, fn] of Object.entries(activities) as [string, (input?: unknown) => Promise<unknown>][]) {
      expect({ name, calledOn: await fn() }).toEqual({ name, calledOn: instances.get(owner(name)) });
    }
  });
});
