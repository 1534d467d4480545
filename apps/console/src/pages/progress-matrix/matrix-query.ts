import { keepPreviousData, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import type { Matrix } from './matrix';

/** How often the matrix asks again: cells change colour as units submit and deadlines pass. */
export const MATRIX_REFRESH_MS = 5_000;

type MatrixQuery = NonNullable<paths['/api/cycles/{id}/progress/matrix']['get']['parameters']['query']>;

/** A matrix answer as the console holds it: the body, its ETag, and when the api last confirmed it. */
export interface HeldMatrix {
  matrix: Matrix;
  etag: string | null;
  checkedAt: string;
}

/**
 * Asks with the ETag of the answer held for the same filters: while it holds the api says 304 and the console keeps
 * the very same `matrix` object — nothing is parsed, compared or rendered again; only `checkedAt` moves on.
 */
export async function fetchMatrix(
  id: string,
  query: MatrixQuery,
  held: HeldMatrix | undefined,
  signal?: AbortSignal,
): Promise<HeldMatrix> {
  const call = api.GET('/api/cycles/{id}/progress/matrix', {
    params: { path: { id }, query, header: held?.etag ? { 'If-None-Match': held.etag } : {} },
    signal,
  });
  const { response } = await call;
  const date = response.headers.get('date');
  if (response.status === 304 && held)
    return { ...held, checkedAt: date ? new Date(date).toISOString() : new Date().toISOString() };
  const matrix = await unwrap(call);
  return { matrix, etag: response.headers.get('etag'), checkedAt: matrix.asOf };
}

/**
 * One query per cycle and filters, refetched every MATRIX_REFRESH_MS. Structural sharing is off: a 304 keeps the
 * held object anyway, and after a change comparing 10,000 rows deeply costs more than the rows it would keep
 * (the grid's rows are memoised on their values, so an unchanged row does not render again either way).
 */
export const matrixQuery = (client: QueryClient, id: string, filters: Omit<MatrixQuery, 'limit' | 'offset'>) => {
  const queryKey = ['progress-matrix', id, filters] as const;
  return queryOptions({
    queryKey,
    queryFn: ({ signal }) =>
      fetchMatrix(id, { ...filters, limit: 100_000 }, client.getQueryData<HeldMatrix>(queryKey), signal),
    refetchInterval: MATRIX_REFRESH_MS,
    placeholderData: keepPreviousData,
    staleTime: 0,
    structuralSharing: false,
  });
};
