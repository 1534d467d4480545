import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type InboxMessage = components['schemas']['InboxMessageDto'];
export const inboxKey = (code: string) => ['portal', 'inbox', code] as const;
export const unreadKey = (code: string) => ['portal', 'inbox-unread', code] as const;

export function useInbox(code: string | undefined, limit = 200) {
  return useQuery({
    queryKey: [...inboxKey(code ?? ''), limit],
    queryFn: () => unwrap(api.GET('/api/units/{code}/inbox', { params: { path: { code: code! }, query: { limit } } })),
    enabled: !!code,
  });
}

export function useUnread(code: string | undefined) {
  return useQuery({
    queryKey: unreadKey(code ?? ''),
    queryFn: () => unwrap(api.GET('/api/units/{code}/inbox/unread-count', { params: { path: { code: code! } } })),
    enabled: !!code,
    refetchInterval: 60_000,
  });
}

/** A notice's absolute link (PUBLIC_BASE_URL/…) as a route of this console, when it points into the portal. */
export function portalRoute(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, window.location.origin);
    return url.pathname.startsWith('/my/') ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}
