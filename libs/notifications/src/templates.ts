import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NoticeLocale } from './message';

/** `evaluation_reminder`: people who have not answered an evaluation yet (its closing time is `dueLocal`). */
export type NoticeKindName = 'reminder' | 'due' | 'escalation' | 'evaluation_reminder';

/** Everything a template may print; dates are already formatted in the unit's time zone. */
export interface NoticeTemplateContext {
  campaignName: string;
  stageTitle: string;
  stepTitle: string;
  unitName: string;
  unitCode: string;
  recipientName: string;
  audience: 'unit' | 'parent' | 'office';
  dueLocal: string;
  timeZone: string;
  /** Whole days until due (reminders) or since due (due notices, escalations). */
  daysLeft: number;
  daysOverdue: number;
  missing: string[];
  link: string;
  rung: number | null;
  /** evaluation_reminder only. */
  evaluationTitle?: string;
  /** evaluation_reminder only: the unit's tokens still unused. */
  pending?: number;
}

/**
 * The repository root: the nearest folder above `from` holding package.json. Works from TS sources (jest:
 * libs/notifications/src) and from compiled code (dist/libs/notifications/src), whose package.json is the root's.
 */
export function findRepoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && !dir.endsWith(join('dist'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

export const templatesDir = () => join(findRepoRoot(), 'libs', 'notifications', 'templates');

const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

const cache = new Map<string, HandlebarsTemplateDelegate>();

function template(locale: NoticeLocale, file: string): HandlebarsTemplateDelegate {
  const path = join(templatesDir(), locale, file);
  let compiled = cache.get(path);
  if (!compiled) {
    // noEscape: the output is plain text / markdown, not HTML; HTML-escaping would mangle "<" and "&" in titles.
    compiled = handlebars.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: false });
    cache.set(path, compiled);
  }
  return compiled;
}

/** Subject (one line) and body of a notice in the recipient's language. */
export function renderNotice(
  kind: NoticeKindName,
  locale: NoticeLocale,
  ctx: NoticeTemplateContext,
): { subject: string; body: string } {
  const subject = template(locale, `${kind}.subject.hbs`)(ctx).replace(/\s+/g, ' ').trim();
  const body =
    template(
      locale,
      `${kind}.body.hbs`,
    )(ctx)
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  return { subject, body };
}
