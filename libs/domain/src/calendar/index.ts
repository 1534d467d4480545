export { isWorkingDay, nextWorkingDay, rollToWorkingDay, type WorkingDayOptions } from './working-days';
export { nextSendableInstant, type QuietHours, type SendingCalendar } from './quiet-hours';
export { specialDays, type SpecialDay } from './special-days';
