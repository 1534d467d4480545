import { DiagnosticRoundTrip } from './diagnostic-round-trip.entity';

export { DiagnosticRoundTrip };

/** Every entity, listed explicitly so compiled code, Jest and the migration CLI see the same set. */
export const allEntities = [DiagnosticRoundTrip];
