import type { components } from '../../api/schema';

export type Cycle = components['schemas']['CycleSummaryDto'];
/** React Query key of GET /api/cycles: invalidate it after starting or steering a cycle. */
export const CYCLES_KEY = ['cycles'] as const;
