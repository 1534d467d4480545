import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const SESSION_KEY = ['session'] as const;

/** The signed-in account (GET /api/auth/session, through the session cookie), or null when signed out. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => (await unwrap(api.GET('/api/auth/session'))).user,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** POST /api/auth/login: the api sets the httpOnly session cookie; the token in the body is ignored here on purpose. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/api/auth/login', { body })),
    onSuccess: (result) => {
      queryClient.setQueryData(SESSION_KEY, result.user);
      forgetEverythingElse(queryClient);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/logout')),
    onSettled: () => {
      queryClient.setQueryData(SESSION_KEY, null);
      forgetEverythingElse(queryClient);
    },
  });
}

/** Another account must not see the previous one's cached data; the session entry itself stays (it drives routing). */
function forgetEverythingElse(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
}
