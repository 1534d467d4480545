import type { components } from '../../api/schema';
import type { TaskDetail } from '../../portal/tasks';

export type Entry = components['schemas']['DeliverableEntryDto'];
export type Submission = components['schemas']['SubmissionViewDto'];
export type Attachment = components['schemas']['AttachmentViewDto'];

/** The form's value for one deliverable: the api's entry without key and kind (the form is keyed by deliverable). */
export interface DeliverableValue {
  text?: string;
  fields?: Record<string, unknown>;
  attachmentIds?: string[];
}
export type DraftValues = Record<string, DeliverableValue>;

export function valuesFromDraft(draft: { deliverables: Entry[] } | undefined): DraftValues {
  return Object.fromEntries(
    (draft?.deliverables ?? []).map((e) => [e.key, { text: e.text, fields: e.fields, attachmentIds: e.attachmentIds }]),
  );
}

/**
 * The form as the api's draft: empty inputs left out (a draft may be incomplete, not malformed — an empty string is
 * "malformed" text), rows of item tables keep whatever cells are filled in, untouched deliverables are omitted.
 */
export function draftFromValues(task: Pick<TaskDetail, 'deliverables'>, values: DraftValues): Entry[] {
  return task.deliverables.flatMap((d) => {
    const v = values[d.key];
    if (!v) return [];
    const text = typeof v.text === 'string' && v.text.trim() ? v.text : undefined;
    const fields = clean(v.fields) as Record<string, unknown> | undefined;
    const attachmentIds = v.attachmentIds?.length ? v.attachmentIds : undefined;
    if (text === undefined && fields === undefined && attachmentIds === undefined) return [];
    return [{ key: d.key, kind: d.kind, text, fields, attachmentIds }];
  });
}

function clean(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() ? value : undefined;
  if (Array.isArray(value)) return value.map((x) => clean(x) ?? {});
  if (typeof value === 'object') {
    const entries = Object.entries(value).flatMap(([k, v]) => {
      const c = clean(v);
      return c === undefined ? [] : [[k, c] as const];
    });
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** `deliverables[1].fields.attendees` → the deliverable key and the rest of the path, to put api problems beside fields. */
export function fieldPathOf(
  task: Pick<TaskDetail, 'deliverables'>,
  entries: Entry[],
  apiField: string,
): (string | number)[] | null {
  const m = /^deliverables\[(\d+)\]\.?(.*)$/.exec(apiField);
  if (!m) return null;
  const entry = entries[Number(m[1])];
  if (!entry || !task.deliverables.some((d) => d.key === entry.key)) return null;
  const rest = m[2]
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [entry.key, ...rest];
}
