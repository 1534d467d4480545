/**
 * A cycle-wide pause, resume or cancel is shown on every unit's `cycle_unit` row as soon as Temporal accepts the
 * signal (the coordinator's batch), before the unit's workflow gets to write it. The unit's writes made *before* it
 * applied that signal can still land afterwards (they queue behind the fan-out on a busy worker); such a write must
 * not put the old status back. So the row remembers, in signal order, the unit events that will confirm the controls
 * shown ahead of the unit (`awaiting`), and a unit write sets the status only once nothing is awaited any more.
 * A finished unit's write (completed, cancelled) always sets it: nothing comes after it.
 */
export type UnitRowStatus = 'pending' | 'running' | 'paused' | 'completed' | 'cancelled';

/** The unit event that shows a unit workflow has applied a cycle-wide control. */
export type ConfirmingEvent = 'paused' | 'resumed' | 'cancelled';

const CONFIRMING = new Set<string>(['paused', 'resumed', 'cancelled']);

export interface SteeredRow {
  status: UnitRowStatus;
  /** Confirming events still to come, oldest control first. */
  awaiting: ConfirmingEvent[];
}

/**
 * The row after one of the unit's own writes: `eventKinds` are the kinds of the write's events in seq order,
 * `status` the unit's status after them. Each confirming event consumes the awaited entries up to and including its
 * first match (an entry whose event never comes — a control the unit ignored — is passed over by the next one).
 */
export function followUnitWrite(row: SteeredRow, write: { status: UnitRowStatus; eventKinds: string[] }): SteeredRow {
  if (write.status === 'completed' || write.status === 'cancelled') return { status: write.status, awaiting: [] };
  let awaiting = row.awaiting;
  for (const kind of write.eventKinds) {
    if (!CONFIRMING.has(kind)) continue;
    const at = awaiting.indexOf(kind as ConfirmingEvent);
    if (at >= 0) awaiting = awaiting.slice(at + 1);
  }
  return { status: awaiting.length ? row.status : write.status, awaiting };
}
