import { nextSendableInstant, type QuietHours } from '../../../domain/src/calendar';

export type { QuietHours };

/**
 * When a notice may go out. Notice delivery depends on this interface only; the default is the domain calendar
 * (libs/domain/src/calendar: quiet hours in the unit's zone, PRC working days from chinese-days, office closures).
 */
export interface SendWindow {
  nextSendableInstant(instant: Date, timeZone: string, quietHours: QuietHours, closures?: readonly string[]): Date;
}

/** Outside quiet hours, on a working day (public holidays and the plan's office closures are not). */
export const defaultSendWindow: SendWindow = {
  nextSendableInstant: (instant, timeZone, quietHours, closures) =>
    nextSendableInstant(instant, timeZone, quietHours, { closures }),
};
