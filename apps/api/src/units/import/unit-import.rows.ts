import { isEmail, isURL } from 'class-validator';
import type { FieldProblem } from '../../../../../libs/domain/src';
import { isUnitKind, unitKindKeys } from '../../../../../libs/domain/src';
import type { UnitContact } from '../../../../../libs/persistence/src';

/** The columns (CSV) / keys (JSON) an import row may carry. */
export const IMPORT_FIELDS = [
  'code',
  'name',
  'kind',
  'parentCode',
  'secretaryName',
  'email',
  'phone',
  'webhookUrl',
  'contacts',
  'timeZone',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** One row as received, before validation: `label` is how the user finds it (`rows[3]`). */
export interface RawImportRow {
  label: string;
  values: Partial<Record<ImportField, unknown>>;
}

/**
 * A valid row. An optional field that is `undefined` was absent (column missing / key omitted) and leaves the
 * stored value alone on re-import; `null` was present but empty and clears it.
 */
export interface ImportRow {
  label: string;
  code: string;
  name: string;
  kind: string;
  parentCode?: string | null;
  secretaryName?: string | null;
  email?: string | null;
  phone?: string | null;
  webhookUrl?: string | null;
  contacts?: UnitContact[];
  timeZone?: string | null;
}

/** Contacts of one unit (each may add an e-mail and robots to every notice of the unit). */
export const MAX_CONTACTS = 20;
const CODE = /^[^\s/]{1,64}$/;
const PHONE = /^[0-9+\-() ]{3,32}$/;
const CONTACT_KEYS = [
  'name',
  'role',
  'email',
  'phone',
  'wecomWebhook',
  'dingtalkWebhook',
  'dingtalkSecret',
  'webhookUrl',
  'locale',
  'muteReminders',
];

export const isWebUrl = (v: string) =>
  isURL(v, { require_protocol: true, protocols: ['http', 'https'], require_tld: false });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Trimmed text, `null` for empty/null, `undefined` when absent; a non-string is reported. */
function text(row: RawImportRow, field: ImportField, problems: FieldProblem[]): string | null | undefined {
  const v = row.values[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string') {
    problems.push({ field: `${row.label}.${field}`, problem: 'must be a string' });
    return undefined;
  }
  const t = v.trim();
  return t === '' ? null : t;
}

function checkContacts(row: RawImportRow, problems: FieldProblem[]): UnitContact[] | undefined {
  let v = row.values.contacts;
  if (v === undefined) return undefined;
  if (v === null || v === '') return [];
  const at = `${row.label}.contacts`;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      problems.push({
        field: at,
        problem: 'must be a JSON array of contacts, e.g. [{"name":"王芳","email":"wf@example.cn"}]',
      });
      return undefined;
    }
  }
  if (!Array.isArray(v)) {
    problems.push({ field: at, problem: 'must be an array of contacts' });
    return undefined;
  }
  if (v.length > MAX_CONTACTS) {
    problems.push({ field: at, problem: `must list at most ${MAX_CONTACTS} contacts` });
    return undefined;
  }
  const before = problems.length;
  v.forEach((c: unknown, i: number) => {
    const f = `${at}[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      return void problems.push({ field: f, problem: 'must be an object' });
    const contact = c as Record<string, unknown>;
    for (const key of Object.keys(contact)) {
      if (!CONTACT_KEYS.includes(key))
        problems.push({ field: `${f}.${key}`, problem: `unknown field (allowed: ${CONTACT_KEYS.join(', ')})` });
    }
    if (typeof contact.name !== 'string' || !contact.name.trim())
      problems.push({ field: `${f}.name`, problem: 'is required' });
    if (contact.email !== undefined && !(typeof contact.email === 'string' && isEmail(contact.email)))
      problems.push({ field: `${f}.email`, problem: 'not an email address' });
    for (const key of ['webhookUrl', 'wecomWebhook', 'dingtalkWebhook'] as const) {
      if (contact[key] !== undefined && !(typeof contact[key] === 'string' && isWebUrl(contact[key])))
        problems.push({ field: `${f}.${key}`, problem: 'not an http(s) URL' });
    }
    if (contact.phone !== undefined && !(typeof contact.phone === 'string' && PHONE.test(contact.phone)))
      problems.push({ field: `${f}.phone`, problem: 'not a phone number' });
    if (contact.locale !== undefined && contact.locale !== 'zh-CN' && contact.locale !== 'en')
      problems.push({ field: `${f}.locale`, problem: 'must be zh-CN or en' });
    if (contact.muteReminders !== undefined && typeof contact.muteReminders !== 'boolean')
      problems.push({ field: `${f}.muteReminders`, problem: 'must be true or false' });
  });
  return problems.length === before ? (v as UnitContact[]) : undefined;
}

/** Every robot / webhook URL a row names, with its field (`rows[2].contacts[0].wecomWebhook`), for the outbound guard. */
export function outboundUrlsOf(row: RawImportRow): { field: string; url: string }[] {
  const out: { field: string; url: string }[] = [];
  const add = (field: string, v: unknown) =>
    typeof v === 'string' && isWebUrl(v.trim()) && out.push({ field: `${row.label}.${field}`, url: v.trim() });
  add('webhookUrl', row.values.webhookUrl);
  let contacts = row.values.contacts;
  if (typeof contacts === 'string') {
    try {
      contacts = JSON.parse(contacts);
    } catch {
      return out; // reported by checkContacts
    }
  }
  if (!Array.isArray(contacts)) return out;
  contacts.forEach((c: unknown, i) => {
    if (typeof c !== 'object' || c === null) return;
    for (const key of ['wecomWebhook', 'dingtalkWebhook', 'webhookUrl'] as const)
      add(`contacts[${i}].${key}`, (c as Record<string, unknown>)[key]);
  });
  return out;
}

/** Checks what one row can say about itself (no cross-row rules); returns the row or null when it is bad. */
export function checkRow(row: RawImportRow, problems: FieldProblem[]): ImportRow | null {
  const before = problems.length;
  const at = (f: string) => `${row.label}.${f}`;
  const code = text(row, 'code', problems);
  if (!code) problems.push({ field: at('code'), problem: 'is required' });
  else if (!CODE.test(code))
    problems.push({ field: at('code'), problem: 'must be 1–64 characters without spaces or "/"' });
  const name = text(row, 'name', problems);
  if (!name) problems.push({ field: at('name'), problem: 'is required' });
  const kind = text(row, 'kind', problems);
  if (!kind) problems.push({ field: at('kind'), problem: `is required (one of ${unitKindKeys.join(', ')})` });
  else if (!isUnitKind(kind))
    problems.push({ field: at('kind'), problem: `unknown kind "${kind}" (one of ${unitKindKeys.join(', ')})` });
  const parentCode = text(row, 'parentCode', problems);
  const secretaryName = text(row, 'secretaryName', problems);
  const email = text(row, 'email', problems);
  if (email && !isEmail(email)) problems.push({ field: at('email'), problem: 'not an email address' });
  const phone = text(row, 'phone', problems);
  if (phone && !PHONE.test(phone)) problems.push({ field: at('phone'), problem: 'not a phone number' });
  const webhookUrl = text(row, 'webhookUrl', problems);
  if (webhookUrl && !isWebUrl(webhookUrl)) problems.push({ field: at('webhookUrl'), problem: 'not an http(s) URL' });
  const timeZone = text(row, 'timeZone', problems);
  if (timeZone && !isTimeZone(timeZone))
    problems.push({ field: at('timeZone'), problem: `unknown IANA time zone "${timeZone}"` });
  const contacts = checkContacts(row, problems);
  if (problems.length > before) return null;
  return {
    label: row.label,
    code: code!,
    name: name!,
    kind: kind!,
    parentCode,
    secretaryName,
    email,
    phone,
    webhookUrl,
    contacts,
    timeZone,
  };
}

/** What the database holds that the cross-row rules need: every unit's code and its parent's code. */
export type ExistingParents = Map<string, string | null>;

/**
 * Checks the whole import: each row, duplicate codes, unknown parents and loops in the parent chain (as it would be
 * after the import). Every problem of every row is reported; the caller writes nothing unless the list is empty.
 */
export function checkImport(
  raw: RawImportRow[],
  existing: ExistingParents,
): { rows: ImportRow[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const rows: ImportRow[] = [];
  const firstByCode = new Map<string, ImportRow | RawImportRow>();
  for (const r of raw) {
    const row = checkRow(r, problems);
    const code = typeof r.values.code === 'string' ? r.values.code.trim() : undefined;
    if (code) {
      const first = firstByCode.get(code);
      if (first)
        problems.push({ field: `${r.label}.code`, problem: `duplicate code "${code}" (first in ${first.label})` });
      else firstByCode.set(code, row ?? r);
      if (first) continue;
    }
    if (row) rows.push(row);
  }

  // The parent of every code after the import: file rows override, absent parentCode keeps the stored parent.
  const parentOf = new Map(existing);
  for (const row of rows) {
    if (row.parentCode !== undefined) parentOf.set(row.code, row.parentCode);
    else if (!existing.has(row.code)) parentOf.set(row.code, null);
  }
  // A bad row's code still exists as far as its children are concerned: report the child's own problem only.
  const known = (code: string) => parentOf.has(code) || firstByCode.has(code);
  const unknownParent = new Set<string>();
  for (const row of rows) {
    if (row.parentCode && !known(row.parentCode)) {
      unknownParent.add(row.code);
      problems.push({
        field: `${row.label}.parentCode`,
        problem: `unknown unit code "${row.parentCode}" (neither in this import nor in the database)`,
      });
    }
  }
  for (const row of rows) {
    if (unknownParent.has(row.code)) continue;
    const loop = loopFrom(row.code, parentOf);
    if (loop)
      problems.push({ field: `${row.label}.parentCode`, problem: `the parent chain loops: ${loop.join(' → ')}` });
  }
  return { rows, problems };
}

/** The loop `code → … → code` if following parents from `code` returns to it, else null. */
function loopFrom(code: string, parentOf: Map<string, string | null>): string[] | null {
  const path = [code];
  const seen = new Set(path);
  let at = parentOf.get(code);
  while (at) {
    path.push(at);
    if (at === code) return path;
    if (seen.has(at)) return null; // a loop further up that does not include `code`: reported on its own rows
    seen.add(at);
    at = parentOf.get(at) ?? null;
  }
  return null;
}
