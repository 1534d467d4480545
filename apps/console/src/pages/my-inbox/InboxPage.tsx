import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Badge, Card, Collapse, Empty, Space, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { useOwnUnit, useTasks } from '../../portal/tasks';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { PortalLink } from '../../portal/PortalLink';
import { BucketTag } from '../../portal/StatusTag';
import { formatDateTime } from '../../shared/time';
import { portalRoute, useInbox, type InboxMessage } from './inbox';

/** Notice kinds in the hues of the task buckets they concern. */
const KIND_HUE: Record<string, string> = { reminder: 'open', due: 'due_soon', escalation: 'overdue' };

/** The unit's in-app notices, newest first; opening one marks it read (the header's count follows). */
export default function InboxPage() {
  const t = useT();
  const tasks = useTasks();
  const unit = useOwnUnit();
  const inbox = useInbox(unit?.code);
  const queryClient = useQueryClient();
  const markRead = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/units/{code}/inbox/{id}/read', { params: { path: { code: unit!.code, id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['portal'] }),
  });
  const items = inbox.data?.items ?? [];

  const open = (keys: string[]) => {
    for (const id of keys) if (items.find((m) => m.id === id && !m.readAt)) markRead.mutate(id);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap align="baseline">
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('inbox.title')}
        </Typography.Title>
        {inbox.data && (
          <Typography.Text type="secondary">
            {t('inbox.unreadOf', { n: inbox.data.unread, total: items.length })}
          </Typography.Text>
        )}
      </Space>
      <ErrorAlert error={tasks.error ?? inbox.error ?? markRead.error} />
      {tasks.data && !unit && <Empty description={t('portal.noUnit')} />}
      {inbox.data && items.length === 0 && <Empty description={t('inbox.empty')} />}
      {items.length > 0 && (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Collapse
            ghost
            onChange={(keys) => open(Array.isArray(keys) ? keys : [keys])}
            items={items.map((m) => ({
              key: m.id,
              label: <MessageLabel message={m} />,
              children: <MessageBody message={m} />,
            }))}
          />
        </Card>
      )}
    </Space>
  );
}

function MessageLabel({ message: m }: { message: InboxMessage }) {
  const t = useT();
  return (
    <Space
      orientation="vertical"
      size={2}
      style={{ width: '100%' }}
      data-testid="inbox-message"
      data-read={m.readAt ? 'yes' : 'no'}
    >
      <Space size={6} wrap>
        {!m.readAt && <Badge status="processing" aria-label={t('inbox.unread')} />}
        <BucketTag bucket={KIND_HUE[m.kind]}>{t(`inbox.kind.${m.kind}`)}</BucketTag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(m.createdAt)}
        </Typography.Text>
      </Space>
      <Typography.Text strong={!m.readAt}>{m.subject}</Typography.Text>
    </Space>
  );
}

function MessageBody({ message: m }: { message: InboxMessage }) {
  const t = useT();
  const route = portalRoute(m.link);
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, overflowWrap: 'anywhere' }}>
        {m.body}
      </Typography.Paragraph>
      {route && <PortalLink to={route}>{t('inbox.openTask')}</PortalLink>}
    </Space>
  );
}
