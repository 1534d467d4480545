import type { ComponentType, ReactNode } from 'react';
import type { components } from '../api/schema';
import type { Lang, Messages } from '../i18n/messages';

export type Role = components['schemas']['UserDto']['roles'][number];

/**
 * What a page folder (src/pages/<name>/index.tsx) exports as `page`. The app finds every such file by itself
 * (import.meta.glob in app/pages.ts): adding a page touches no shared file.
 */
export interface PageDefinition {
  /** React Router path, e.g. '/campaigns' or '/cycles/:id/units/:unit'. */
  path: string;
  /** Usually `lazy(() => import('./SomePage'))`, so each page is its own chunk. */
  component: ComponentType;
  /** In the side menu when given; `group` puts it under a heading (see MENU_GROUPS in AppLayout). */
  menu?: { labelKey: string; icon?: ReactNode; order: number; group?: 'office' | 'admin' | 'unit' };
  /** Who may open it (and sees it in the menu); absent = every signed-in account. */
  roles?: Role[];
  /** Shown without sign-in and without the layout (the sign-in page, an anonymous evaluation). */
  public?: boolean;
  /** The landing page for these roles after sign-in (first match in menu order wins). */
  homeFor?: Role[];
  /** A small widget this page puts in the header of every signed-in page (e.g. the inbox's unread count), for the same roles. */
  headerExtra?: ComponentType;
  /** This page's words, merged into the dictionary; keys are best prefixed with the page name. */
  messages?: Record<Lang, Messages>;
}
