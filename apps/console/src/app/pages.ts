import type { Lang, Messages } from '../i18n/messages';
import type { PageDefinition, Role } from './page';

const modules = import.meta.glob<{ page: PageDefinition }>('../pages/*/index.tsx', { eager: true });

/** Every page of the console, in menu order (pages without a menu entry last). */
export const pages: PageDefinition[] = Object.values(modules)
  .map((m) => m.page)
  .sort((a, b) => (a.menu?.order ?? 1e9) - (b.menu?.order ?? 1e9));

/** All pages' messages merged per language. */
export const pageMessages: Record<Lang, Messages> = {
  zh: Object.assign({}, ...pages.map((p) => p.messages?.zh ?? {})),
  en: Object.assign({}, ...pages.map((p) => p.messages?.en ?? {})),
};

export const mayOpen = (page: PageDefinition, roles: readonly Role[]) =>
  !page.roles || page.roles.some((r) => roles.includes(r));

/**
 * Where a signed-in account lands: the first page that names one of its roles in homeFor, else its first menu page;
 * null when no page is for it (yet).
 */
export function homePath(roles: readonly Role[]): string | null {
  const home =
    pages.find((p) => p.homeFor?.some((r) => roles.includes(r))) ?? pages.find((p) => p.menu && mayOpen(p, roles));
  return home?.path ?? null;
}
