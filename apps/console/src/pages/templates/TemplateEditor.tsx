import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { useMutation } from '@tanstack/react-query';
import CodeMirror, { type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { Alert, App, Button, List, Space, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { rangeOfField, yamlSyntaxProblems } from './problem-ranges';

interface Problem {
  line: number;
  from: number;
  message: string;
}
type Check =
  | { state: 'checking' }
  | { state: 'ok'; stages: number; steps: number }
  | { state: 'problems'; problems: Problem[] }
  | { state: 'error'; error: unknown };

/**
 * The YAML of a template with the api's validator (POST /api/templates/validate) run as the office types (debounced
 * by CodeMirror's linter): every problem underlined at its line and listed below; save stores a new version.
 */
export function TemplateEditor({
  initialText,
  canSave,
  onSaved,
}: {
  initialText: string;
  canSave: boolean;
  onSaved: (key: string, version: number) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState(initialText);
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const editor = useRef<ReactCodeMirrorRef>(null);
  const setCheckRef = useRef(setCheck);
  setCheckRef.current = setCheck;

  const extensions = useMemo(
    () => [
      yaml(),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': t('templates.editor') }),
      linter(
        async (view): Promise<Diagnostic[]> => {
          const doc = view.state.doc.toString();
          const lineOf = (pos: number) => view.state.doc.lineAt(Math.min(pos, doc.length)).number;
          setCheckRef.current({ state: 'checking' });
          const syntax = yamlSyntaxProblems(doc);
          let found: { from: number; to: number; message: string }[] = syntax;
          if (syntax.length === 0) {
            try {
              const summary = await unwrap(api.POST('/api/templates/validate', { body: { document: doc } }));
              setCheckRef.current({
                state: 'ok',
                stages: summary.stages.length,
                steps: summary.stages.reduce((n, s) => n + s.steps.length, 0),
              });
              return [];
            } catch (error) {
              if (!(error instanceof ApiError) || error.status !== 400) {
                setCheckRef.current({ state: 'error', error });
                return [];
              }
              found = error.details.map((d) => ({
                ...rangeOfField(doc, String(d.field ?? 'document')),
                message: `${d.field}: ${d.problem}`,
              }));
            }
          }
          setCheckRef.current({
            state: 'problems',
            problems: found
              .map((p) => ({ line: lineOf(p.from), from: p.from, message: p.message }))
              .sort((a, b) => a.line - b.line),
          });
          return found.map((p) => ({ from: p.from, to: p.to, severity: 'error', message: p.message }));
        },
        { delay: 500 },
      ),
    ],
    [t],
  );

  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/templates', { body: { document: text } })),
    onSuccess: (r) => {
      message.success(
        r.created
          ? t('templates.saved', { key: r.key, version: r.version })
          : t('templates.unchanged', { version: r.version }),
      );
      onSaved(r.key, r.version);
    },
  });

  const jumpTo = (from: number) => {
    const view = editor.current?.view;
    if (!view) return;
    view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    view.focus();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <CodeMirror
        ref={editor}
        value={text}
        height="520px"
        extensions={extensions}
        onChange={setText}
        basicSetup={{ foldGutter: true, highlightActiveLine: true }}
      />
      <div aria-live="polite">
        {check.state === 'checking' && <Typography.Text type="secondary">{t('templates.checking')}</Typography.Text>}
        {check.state === 'ok' && (
          <Alert type="success" showIcon title={t('templates.ok', { stages: check.stages, steps: check.steps })} />
        )}
        {check.state === 'error' && <ErrorAlert error={check.error} />}
        {check.state === 'problems' && (
          <Alert
            type="error"
            showIcon
            title={t('templates.problems', { n: check.problems.length })}
            description={
              <List
                size="small"
                data-testid="template-problems"
                dataSource={check.problems}
                renderItem={(p) => (
                  <List.Item style={{ padding: '2px 0' }}>
                    <Button
                      type="link"
                      size="small"
                      onClick={() => jumpTo(p.from)}
                      style={{ padding: 0, height: 'auto' }}
                    >
                      {t('templates.line', { line: p.line })}
                    </Button>
                    <Typography.Text style={{ marginLeft: 8 }}>{p.message}</Typography.Text>
                  </List.Item>
                )}
              />
            }
          />
        )}
      </div>
      <ErrorAlert error={save.error} />
      <Space>
        <Button
          type="primary"
          disabled={!canSave || check.state !== 'ok'}
          loading={save.isPending}
          onClick={() => save.mutate()}
        >
          {t('templates.save')}
        </Button>
        {!canSave && <Typography.Text type="secondary">{t('templates.readonly')}</Typography.Text>}
      </Space>
    </Space>
  );
}
