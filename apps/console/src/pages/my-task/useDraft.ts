import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { TaskDetail } from '../../portal/tasks';
import { draftFromValues, type DraftValues, type Entry, type Submission } from './draft-form';

/** Quiet time after the last keystroke before the draft is saved. */
export const AUTOSAVE_DELAY_MS = 1200;

export type SaveState =
  | { kind: 'clean' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'failed'; error: unknown }
  /** Someone (another tab, a colleague) saved since this page read the draft: nothing is overwritten, nothing lost. */
  | { kind: 'conflict'; error: ApiError };

/** The draft's revision: sent back as If-Match so a save based on an older revision is refused (409 STALE_DRAFT). */
export const revisionOf = (s: Submission | null | undefined): number | undefined => s?.draftRevision;

/** A later save refused because the draft moved on (If-Match stale), or a second tab creating the same step's draft. */
export const isConflict = (e: unknown): e is ApiError =>
  e instanceof ApiError &&
  e.status === 409 &&
  (e.reason === 'STALE_DRAFT' || e.details.some((d) => d.field === 'If-Match' || d.field === 'stepKey'));

export const submissionKey = (id: string) => ['submission', id] as const;

/**
 * The submission of a task and its autosaving draft. `change(values)` marks the page dirty and saves after a quiet
 * moment; saves never overlap (a change during a save is saved right after it). Each save sends the revision the page
 * last read as If-Match; a stale one comes back 409 and autosave stops with the page's values kept until the user
 * chooses: overwrite with them (`overwrite`) or take the saved draft (`reload`).
 */
export function useDraft(task: TaskDetail | undefined) {
  const queryClient = useQueryClient();
  const [submissionId, setSubmissionId] = useState<string | null>(task?.submissionId ?? null);
  useEffect(() => setSubmissionId(task?.submissionId ?? null), [task?.submissionId]);
  const submission = useQuery({
    queryKey: submissionKey(submissionId ?? ''),
    queryFn: () => unwrap(api.GET('/api/submissions/{id}', { params: { path: { id: submissionId! } } })),
    enabled: !!submissionId,
    staleTime: 0, // a return or acceptance may have happened since: read it again on each visit
  });
  const [state, setState] = useState<SaveState>({ kind: 'clean' });
  const latest = useRef<DraftValues | null>(null);
  const revision = useRef<number | undefined>(undefined);
  const current = useRef<Submission | null>(null);
  const saving = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const blocked = useRef(false);
  const lastError = useRef<unknown>(null);

  useEffect(() => {
    if (submission.data && (!current.current || submission.data.updatedAt >= current.current.updatedAt)) {
      current.current = submission.data;
      revision.current = revisionOf(submission.data);
    }
  }, [submission.data]);

  const accept = useCallback(
    (view: Submission) => {
      current.current = view;
      revision.current = revisionOf(view);
      queryClient.setQueryData(submissionKey(view.id), view);
      setSubmissionId(view.id);
    },
    [queryClient],
  );

  /** Creates the submission (first save) or replaces its draft with If-Match. */
  const write = useCallback(
    async (entries: Entry[]): Promise<Submission> => {
      if (!task) throw new Error('task not loaded');
      const id = current.current?.id ?? submissionId;
      if (!id) {
        return unwrap(
          api.POST('/api/submissions', {
            params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
            body: { cycleId: task.cycleId, unitId: task.unitId, stepKey: task.stepKey, deliverables: entries },
          }),
        );
      }
      const rev = revision.current;
      return unwrap(
        api.PUT('/api/submissions/{id}/draft', {
          params: { path: { id } },
          body: { deliverables: entries },
          headers: rev === undefined ? {} : { 'If-Match': `"${rev}"` },
        }),
      );
    },
    [task, submissionId],
  );

  const saveNow = useCallback(async (): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (saving.current) {
      await saving.current;
      if (!latest.current) return;
    }
    const values = latest.current;
    if (!values || !task || blocked.current) return;
    latest.current = null;
    setState({ kind: 'saving' });
    const run = (async () => {
      try {
        accept(await write(draftFromValues(task, values)));
        setState(latest.current ? { kind: 'dirty' } : { kind: 'saved', at: new Date().toISOString() });
      } catch (error) {
        lastError.current = error;
        latest.current ??= values; // unsaved: keep them for the next attempt or the user's choice
        if (isConflict(error)) {
          blocked.current = true;
          setState({ kind: 'conflict', error });
        } else setState({ kind: 'failed', error });
      }
    })();
    saving.current = run;
    await run;
    saving.current = null;
    if (latest.current && !blocked.current && timer.current === null)
      timer.current = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
  }, [task, write, accept]);

  const change = useCallback(
    (values: DraftValues) => {
      latest.current = values;
      if (blocked.current) return;
      setState({ kind: 'dirty' });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    },
    [saveNow],
  );

  /** Conflict: read the saved draft's revision, then save this page's values over it (the user chose so). */
  const overwrite = useCallback(
    async (values: DraftValues) => {
      const id = current.current?.id ?? submissionId ?? (await findExisting(task));
      if (!id) return;
      const fresh = await unwrap(api.GET('/api/submissions/{id}', { params: { path: { id } } }));
      accept(fresh);
      blocked.current = false;
      latest.current = values;
      await saveNow();
    },
    [submissionId, task, accept, saveNow],
  );

  /** Conflict: drop this page's unsaved values and show the saved draft. Returns it for the form to load. */
  const reload = useCallback(async (): Promise<Submission | null> => {
    const id = current.current?.id ?? submissionId ?? (await findExisting(task));
    if (!id) return null;
    const fresh = await unwrap(api.GET('/api/submissions/{id}', { params: { path: { id } } }));
    accept(fresh);
    blocked.current = false;
    latest.current = null;
    setState({ kind: 'clean' });
    return fresh;
  }, [submissionId, task, accept]);

  /** Saves these values now (before submitting); throws what refused them, a conflict included. */
  const flush = useCallback(
    async (values: DraftValues): Promise<Submission> => {
      if (blocked.current) throw lastError.current;
      latest.current = values;
      await saveNow();
      if (blocked.current || latest.current || !current.current)
        throw lastError.current ?? new Error('the draft was not saved');
      return current.current;
    },
    [saveNow],
  );

  /** Attachments belong to a submission: the first upload creates the draft (with what the form holds) if needed. */
  const ensureSubmission = useCallback(
    async (values: DraftValues): Promise<string> => {
      if (current.current) return current.current.id;
      latest.current = values;
      await saveNow();
      const created = current.current as Submission | null; // set by the save (TypeScript cannot see through the await)
      if (!created) throw lastError.current ?? new Error('the draft could not be created');
      return created.id;
    },
    [saveNow],
  );

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  // Leaving with unsaved changes: the browser asks first.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (latest.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  return {
    submission: submission.data ?? null,
    loading: !!submissionId && submission.isPending,
    loadError: submission.error,
    state,
    change,
    saveNow,
    overwrite,
    reload,
    accept,
    ensureSubmission,
    flush,
  };
}

/** The submission a second tab created meanwhile (create refused with 409: the unit already has one for this step). */
async function findExisting(task: TaskDetail | undefined): Promise<string | null> {
  if (!task) return null;
  const rows = await unwrap(
    api.GET('/api/submissions', { params: { query: { cycleId: task.cycleId, unitId: task.unitId } } }),
  );
  return rows.find((r) => r.stepKey === task.stepKey)?.id ?? null;
}
