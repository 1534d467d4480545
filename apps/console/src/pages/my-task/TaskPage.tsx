import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudSyncOutlined,
  ExclamationCircleOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useT } from '../../i18n/I18nProvider';
import { dueWords, useTask, type TaskDetail } from '../../portal/tasks';
import { VersionTimeline } from '../../portal/VersionTimeline';
import { BucketTag } from '../../portal/StatusTag';
import { PortalLink } from '../../portal/PortalLink';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';
import { AttachmentDragger } from './AttachmentDragger';
import { DeliverableEditor } from './DeliverableEditor';
import { draftFromValues, fieldPathOf, valuesFromDraft, type DraftValues, type Submission } from './draft-form';
import { useDraft, type SaveState } from './useDraft';

/** Hand in one step: a form per deliverable, autosaved; submit with confirmation; the reviewer's comment beside it. */
export default function TaskPage() {
  const t = useT();
  const params = useParams();
  const task = useTask(params.cycleId!, params.unit!, params.stepKey!);
  if (task.error) return <ErrorAlert error={task.error} />;
  if (!task.data) return <Spin aria-label={t('common.loading')} style={{ display: 'block', padding: 48 }} />;
  return <TaskForm key={`${task.data.cycleId}/${task.data.unitId}/${task.data.stepKey}`} task={task.data} />;
}

function TaskForm({ task }: { task: TaskDetail }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DraftValues>();
  const draft = useDraft(task);
  const submission = draft.submission;
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const loaded = useRef(false);

  // The form starts from the saved draft once it is read (or empty when the unit has not started one).
  useEffect(() => {
    if (loaded.current || draft.loading) return;
    loaded.current = true;
    form.setFieldsValue(valuesFromDraft(submission?.draft));
  }, [draft.loading, submission, form]);

  const status = submission?.status ?? null;
  const stepOpen = task.status === 'open' || task.status === 'returned';
  const editable = task.canWrite && stepOpen && (status === null || status === 'draft' || status === 'returned');
  const values = () => form.getFieldsValue(true) as DraftValues;
  const lastReturn = [...(submission?.versions ?? [])].reverse().find((v) => v.decision === 'returned');
  const comment = status === 'returned' ? (lastReturn?.reviewComment ?? task.reviewComment) : null;

  async function submit() {
    setSubmitError(null);
    setSubmitting(true);
    try {
      const saved = await draft.flush(values());
      const view = await unwrap(
        api.POST('/api/submissions/{id}/submit', {
          params: { path: { id: saved.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
        }),
      );
      draft.accept(view);
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
      message.success(t('task.submit.done'));
    } catch (error) {
      setSubmitError(error);
      if (error instanceof ApiError) {
        const entries = draftFromValues(task, values());
        form.setFields(
          error.details.flatMap((d) => {
            const name = d.field ? fieldPathOf(task, entries, d.field) : null;
            return name ? [{ name, errors: [d.problem ?? ''] }] : [];
          }),
        );
      }
    } finally {
      setSubmitting(false);
    }
  }

  const confirmSubmit = () =>
    modal.confirm({
      title: t('task.submit.confirmTitle'),
      icon: <ExclamationCircleOutlined />,
      content: task.reviewRequired ? t('task.submit.confirmReview') : t('task.submit.confirmNoReview'),
      okText: t('task.submit.ok'),
      cancelText: t('common.cancel'),
      onOk: submit,
    });

  const side = (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {comment && (
        <Alert
          type="warning"
          showIcon
          role="note"
          data-testid="review-comment"
          title={t('portal.reviewComment')}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{comment}</span>}
        />
      )}
      <Card size="small" title={t('task.status')}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('portal.dueAt')}>
            <Space wrap size={6}>
              {formatDateTime(task.dueAt, task.timeZone)}
              <BucketTag bucket={task.bucket}>{dueWords(task, t)}</BucketTag>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('task.submission')}>
            {status ? t(`task.submissionStatus.${status}`) : t('task.submissionStatus.none')}
          </Descriptions.Item>
          {editable && (
            <Descriptions.Item label={t('task.draft')}>
              <SaveIndicator state={draft.state} />
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {(submission?.versions.length ?? 0) > 0 && (
        <Card size="small" title={t('task.versions')}>
          <VersionTimeline versions={submission!.versions} timeZone={task.timeZone} newestFirst />
        </Card>
      )}
    </Space>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <PortalLink to="/my/tasks">
          <ArrowLeftOutlined aria-hidden /> {t('task.back')}
        </PortalLink>
        <Typography.Title level={1} style={{ fontSize: 20, margin: '4px 0' }}>
          {task.title}
        </Typography.Title>
        <Typography.Text type="secondary">
          {task.campaignName} · {task.stageTitle} · {task.unitName}
        </Typography.Text>
      </div>
      {status === 'accepted' && (
        <Result status="success" icon={<CheckCircleOutlined />} title={t('task.accepted')} style={{ padding: 16 }} />
      )}
      {status === 'submitted' && <Alert type="info" showIcon title={t('task.awaitingReview')} />}
      {!task.canWrite && <Alert type="info" showIcon title={t('task.readOnly')} />}
      {task.status === 'pending' && (
        <Alert type="info" showIcon title={t('task.notOpen', { at: formatDateTime(task.opensAt, task.timeZone) })} />
      )}
      {draft.state.kind === 'conflict' && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="draft-conflict"
          title={t('task.conflict.title')}
          description={
            <Space orientation="vertical" size={8}>
              <span>{t('task.conflict.body')}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {draft.state.error.message}
              </Typography.Text>
              <Space wrap>
                <Button onClick={() => draft.overwrite(values())}>{t('task.conflict.keepMine')}</Button>
                <Button
                  onClick={async () => {
                    const fresh = await draft.reload();
                    form.resetFields();
                    form.setFieldsValue(valuesFromDraft(fresh?.draft));
                  }}
                >
                  {t('task.conflict.takeSaved')}
                </Button>
              </Space>
            </Space>
          }
        />
      )}
      {draft.state.kind === 'failed' && <ErrorAlert error={draft.state.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
          <div style={{ position: 'sticky', top: 16 }}>{side}</div>
        </Col>
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
          <Form
            form={form}
            layout="vertical"
            disabled={!editable}
            onValuesChange={() => editable && draft.change(values())}
            requiredMark={editable}
          >
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              {task.deliverables.map((d) => (
                <Card
                  key={d.key}
                  size="small"
                  title={<DeliverableTitle title={d.title} required={d.required} />}
                  data-testid={`deliverable-${d.key}`}
                >
                  {comment && comment.includes(d.title) && (
                    <Alert
                      type="warning"
                      style={{ marginBottom: 12 }}
                      title={t('task.commentMentions')}
                      description={comment}
                    />
                  )}
                  <DeliverableEditor
                    deliverable={d}
                    disabled={!editable}
                    attachments={
                      <Form.Item name={[d.key, 'attachmentIds']} noStyle>
                        <AttachmentDragger
                          deliverableKey={d.key}
                          label={`${d.title} · ${t('task.field.attachments')}`}
                          rules={task.attachmentRules}
                          attachments={submission?.attachments ?? []}
                          submissionId={submission?.id ?? null}
                          ensureSubmission={() => draft.ensureSubmission(values())}
                          disabled={!editable}
                          onChange={(ids) => {
                            form.setFieldValue([d.key, 'attachmentIds'], ids);
                            draft.change(values());
                          }}
                        />
                      </Form.Item>
                    }
                  />
                </Card>
              ))}
              <ErrorAlert error={submitError} />
              {editable && (
                <Button
                  type="primary"
                  size="large"
                  block
                  icon={<SendOutlined />}
                  loading={submitting}
                  onClick={confirmSubmit}
                  disabled={draft.state.kind === 'conflict'}
                >
                  {status === 'returned' ? t('task.resubmit') : t('task.submit')}
                </Button>
              )}
            </Space>
          </Form>
        </Col>
      </Row>
    </Space>
  );
}

function DeliverableTitle({ title, required }: { title: string; required: boolean }) {
  const t = useT();
  return (
    <Space size={6} wrap>
      <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
        {title}
      </Typography.Title>
      {required ? <Tag color="red">{t('task.required')}</Tag> : <Tag>{t('task.optional')}</Tag>}
    </Space>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  const t = useT();
  const text =
    state.kind === 'saved'
      ? t('task.save.saved', { at: formatDateTime(state.at).slice(-5) })
      : state.kind === 'saving'
        ? t('task.save.saving')
        : state.kind === 'dirty'
          ? t('task.save.dirty')
          : state.kind === 'conflict'
            ? t('task.save.conflict')
            : state.kind === 'failed'
              ? t('task.save.failed')
              : t('task.save.clean');
  const color =
    state.kind === 'saved'
      ? '#237804'
      : state.kind === 'conflict' || state.kind === 'failed'
        ? '#a8071a'
        : state.kind === 'clean'
          ? '#595959'
          : '#0958d9';
  // Dark text colours on white: antd's light preset tags fall below 4.5:1.
  return (
    <span
      data-testid="save-state"
      data-state={state.kind}
      role="status"
      aria-live="polite"
      style={{ color, display: 'inline-flex', alignItems: 'center', gap: 6 }}
    >
      {state.kind === 'saved' ? <CheckCircleOutlined aria-hidden /> : <CloudSyncOutlined aria-hidden />}
      {text}
    </span>
  );
}

export type { Submission };
