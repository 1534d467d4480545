import { Diagnostics1763700000000 } from './1763700000000-diagnostics';

/** Timestamped raw-SQL migrations in order. `synchronize` is off everywhere. */
export const allMigrations = [Diagnostics1763700000000];
