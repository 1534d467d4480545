import { CheckOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';
import { DeliverableView } from './Deliverable';
import { ShortcutHelp } from './ShortcutHelp';
import { useReviewKeys } from './useReviewKeys';

type Item = components['schemas']['ReviewQueueItemDto'];
type Queue = components['schemas']['ReviewQueueDto'];

export default function ReviewQueuePage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const roles = useSession().data?.roles ?? [];
  const mayDecide = roles.includes('office_admin') || roles.includes('office_reviewer');
  const [cycleId, setCycleId] = useState<string | undefined>();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState(false);
  const commentRef = useRef<TextAreaRef>(null);
  const detailRef = useRef<HTMLDivElement>(null);
  /** One Idempotency-Key per version and decision: a double press or a retry never decides twice. */
  const keys = useRef(new Map<string, string>());

  const queueKey = ['review-queue', cycleId ?? 'all'];
  const cycles = useQuery({
    queryKey: ['cycles'],
    queryFn: () => unwrap(api.GET('/api/cycles')),
  });
  const queue = useQuery({
    queryKey: queueKey,
    queryFn: () =>
      unwrap(
        api.GET('/api/submissions/review-queue', {
          params: { query: { cycleId, limit: 200 } },
        }),
      ),
  });
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const index = Math.max(
    0,
    items.findIndex((i) => i.versionId === selectedId),
  );
  const current: Item | undefined = items[index];

  useEffect(() => {
    detailRef.current?.scrollTo?.({ top: 0 });
    setComment('');
    setCommentError(false);
  }, [current?.versionId]);

  const select = (i: number) => {
    const next = items[Math.min(Math.max(i, 0), items.length - 1)];
    if (next) setSelectedId(next.versionId);
  };

  const decide = useMutation({
    mutationFn: async ({ item, decision, text }: { item: Item; decision: 'accept' | 'return'; text?: string }) => {
      const slot = `${item.versionId}:${decision}`;
      if (!keys.current.has(slot)) keys.current.set(slot, crypto.randomUUID());
      return unwrap(
        api.POST('/api/submissions/{id}/versions/{version}/review', {
          params: {
            path: { id: item.submissionId, version: item.version },
            header: { 'Idempotency-Key': keys.current.get(slot)! },
          },
          body: decision === 'accept' ? { decision } : { decision, comment: text },
        }),
      );
    },
    onSuccess: (_, { item, decision }) => {
      // back from the comment box to the queue, so j/k/a/r work again at once
      if (document.activeElement instanceof HTMLElement && document.activeElement.id === 'review-comment')
        document.activeElement.blur();
      message.success(
        t(decision === 'accept' ? 'review.accepted' : 'review.returned', {
          unit: item.unitName,
          step: item.stepTitle,
        }),
      );
      // the next one takes the decided one's place: select it before the list changes
      const rest = items.filter((i) => i.versionId !== item.versionId);
      setSelectedId(rest[Math.min(index, rest.length - 1)]?.versionId ?? null);
      queryClient.setQueryData<Queue>(queueKey, (q) =>
        q
          ? {
              total: q.total - 1,
              items: q.items.filter((i) => i.versionId !== item.versionId),
            }
          : q,
      );
      void queryClient.invalidateQueries({ queryKey: ['review-queue'] });
    },
  });

  const accept = () =>
    current && mayDecide && !decide.isPending && decide.mutate({ item: current, decision: 'accept' });
  const sendReturn = () => {
    if (!current || !mayDecide || decide.isPending) return;
    if (!comment.trim()) {
      setCommentError(true);
      commentRef.current?.focus();
      return;
    }
    decide.mutate({ item: current, decision: 'return', text: comment.trim() });
  };
  useReviewKeys({
    next: () => select(index + 1),
    prev: () => select(index - 1),
    accept,
    startReturn: () => mayDecide && commentRef.current?.focus(),
    sendReturn,
  });

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {t('review.title')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Typography.Text type="secondary">{t('review.waiting', { n: queue.data?.total ?? 0 })}</Typography.Text>
            <Select
              aria-label={t('review.cycle')}
              style={{ width: 240 }}
              allowClear
              placeholder={t('review.allCycles')}
              value={cycleId}
              onChange={(v) => setCycleId(v)}
              options={(cycles.data ?? []).map((c) => ({
                value: c.id,
                label: c.name,
              }))}
            />
            <Button icon={<ReloadOutlined />} onClick={() => queue.refetch()} aria-label={t('common.refresh')} />
          </Space>
        }
      >
        <ShortcutHelp />
      </Card>
      <ErrorAlert error={queue.error} />
      <Row gutter={12}>
        <Col xs={24} md={8} xl={7}>
          <Card
            size="small"
            styles={{
              body: {
                padding: 0,
                maxHeight: 'calc(100vh - 260px)',
                overflow: 'auto',
              },
            }}
          >
            <List<Item>
              loading={queue.isPending}
              dataSource={items}
              locale={{ emptyText: <Empty description={t('review.empty')} /> }}
              renderItem={(item, i) => (
                <QueueRow item={item} selected={i === index} onSelect={() => setSelectedId(item.versionId)} />
              )}
            />
          </Card>
        </Col>
        <Col xs={24} md={16} xl={17}>
          {current && (
            <Card
              size="small"
              title={
                <Space wrap>
                  <Typography.Text strong>{current.unitName}</Typography.Text>
                  <Typography.Text type="secondary">{current.unitCode}</Typography.Text>
                  <Typography.Text>「{current.stepTitle}」</Typography.Text>
                  <Tag>{t('review.version', { n: current.version })}</Tag>
                  {current.returnedBefore > 0 && (
                    <Tag color="orange">
                      {t('review.returnedBefore', {
                        n: current.returnedBefore,
                      })}
                    </Tag>
                  )}
                </Space>
              }
            >
              <div
                ref={detailRef}
                style={{
                  maxHeight: 'calc(100vh - 470px)',
                  minHeight: 200,
                  overflow: 'auto',
                  marginBottom: 12,
                }}
              >
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2 }}
                  items={[
                    {
                      key: 'cycle',
                      label: t('review.cycle'),
                      children: current.cycleName,
                    },
                    {
                      key: 'at',
                      label: t('review.submittedAt'),
                      children: formatDateTime(current.submittedAt, current.timeZone),
                    },
                    {
                      key: 'by',
                      label: t('review.submittedBy'),
                      children: current.submittedBy ?? '—',
                    },
                    {
                      key: 'due',
                      label: t('review.dueAt'),
                      children: formatDateTime(current.dueAt, current.timeZone),
                    },
                  ]}
                />
                <Typography.Title level={2} style={{ fontSize: 14 }}>
                  {t('review.deliverables')}
                </Typography.Title>
                <Space direction="vertical" size={8} style={{ width: '100%' }}>
                  {current.deliverables.map((d) => (
                    <DeliverableView key={d.key} submissionId={current.submissionId} d={d} />
                  ))}
                </Space>
              </div>
              {mayDecide ? (
                <DecisionBar
                  comment={comment}
                  onComment={(v) => {
                    setComment(v);
                    if (v.trim()) setCommentError(false);
                  }}
                  commentError={commentError}
                  commentRef={commentRef}
                  busy={decide.isPending}
                  error={decide.error}
                  onAccept={accept}
                  onReturn={sendReturn}
                />
              ) : (
                <Alert type="info" showIcon title={t('review.readOnly')} />
              )}
            </Card>
          )}
        </Col>
      </Row>
    </Space>
  );
}

function QueueRow({ item, selected, onSelect }: { item: Item; selected: boolean; onSelect: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);
  return (
    <List.Item style={{ padding: 0, display: 'block' }}>
      <div
        ref={ref}
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        data-testid="review-row"
        onClick={onSelect}
        onKeyDown={(e) => e.key === 'Enter' && onSelect()}
        style={{
          padding: '8px 12px',
          cursor: 'pointer',
          borderBottom: '1px solid #f0f0f0',
          background: selected ? '#e6f4ff' : undefined,
          borderLeft: `3px solid ${selected ? '#1677ff' : 'transparent'}`,
        }}
      >
        <Space direction="vertical" size={0} style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text strong>{item.unitName}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(item.submittedAt, item.timeZone)}
            </Typography.Text>
          </Space>
          <Typography.Text style={{ fontSize: 13 }}>{item.stepTitle}</Typography.Text>
        </Space>
      </div>
    </List.Item>
  );
}

function DecisionBar(props: {
  comment: string;
  onComment: (v: string) => void;
  commentError: boolean;
  commentRef: React.RefObject<TextAreaRef | null>;
  busy: boolean;
  error: unknown;
  onAccept: () => void;
  onReturn: () => void;
}) {
  const t = useT();
  return (
    <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
      <ErrorAlert error={props.error} style={{ marginBottom: 8 }} />
      <Form.Item
        label={t('review.comment')}
        htmlFor="review-comment"
        validateStatus={props.commentError ? 'error' : undefined}
        help={props.commentError ? t('review.commentRequired') : undefined}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea
          id="review-comment"
          ref={props.commentRef}
          rows={2}
          value={props.comment}
          onChange={(e) => props.onComment(e.target.value)}
          placeholder={t('review.commentPlaceholder')}
          maxLength={10_000}
        />
      </Form.Item>
      <Space>
        <Button type="primary" icon={<CheckOutlined />} loading={props.busy} onClick={props.onAccept}>
          {t('review.accept')} (A)
        </Button>
        <Button danger icon={<RollbackOutlined />} loading={props.busy} onClick={props.onReturn}>
          {t('review.return')} (R)
        </Button>
      </Space>
    </Form>
  );
}
