import { useQuery } from '@tanstack/react-query';
import { Card, Collapse, Empty, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { taskPath, type Task } from '../../portal/tasks';
import { UnitPageHeading, usePickedUnit } from '../../portal/UnitSelect';
import { VersionTimeline } from '../../portal/VersionTimeline';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { PortalLink } from '../../portal/PortalLink';
import { BucketTag } from '../../portal/StatusTag';
import { formatDateTime } from '../../shared/time';
import { useInbox } from '../my-inbox/inbox';

/** A submission's status in the hue of the matching task bucket. */
const STATUS_HUE: Record<string, string> = {
  draft: 'upcoming',
  submitted: 'submitted',
  returned: 'returned',
  accepted: 'done',
};

/** What the unit handed in (every version and its review) and the notices it was sent (read or not). */
export default function HistoryPage() {
  const t = useT();
  const picker = usePickedUnit();
  const { tasks, unit } = picker;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <UnitPageHeading title={t('history.title')} picker={picker} />
      <ErrorAlert error={tasks.error} />
      {tasks.data && !unit && <Empty description={t('portal.noUnit')} />}
      {unit && (
        <Tabs
          items={[
            {
              key: 'submissions',
              label: t('history.submissions'),
              children: <Submissions unitId={unit.id} tasks={tasks.data!.tasks} />,
            },
            { key: 'notices', label: t('history.notices'), children: <Notices code={unit.code} /> },
          ]}
        />
      )}
    </Space>
  );
}

function Submissions({ unitId, tasks }: { unitId: string; tasks: Task[] }) {
  const t = useT();
  const list = useQuery({
    queryKey: ['portal', 'submissions', unitId],
    queryFn: () => unwrap(api.GET('/api/submissions', { params: { query: { unitId } } })),
  });
  const taskOf = (s: { cycleId: string; stepKey: string }) =>
    tasks.find((x) => x.cycleId === s.cycleId && x.unitId === unitId && x.stepKey === s.stepKey);
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data) return <Spin aria-label={t('common.loading')} />;
  if (list.data.length === 0) return <Empty description={t('history.noSubmissions')} />;
  return (
    <Card size="small" styles={{ body: { padding: 0 } }}>
      <Collapse
        ghost
        items={list.data.map((s) => {
          const task = taskOf(s);
          return {
            key: s.id,
            label: (
              <Space orientation="vertical" size={2} data-testid="history-submission">
                <Space size={6} wrap>
                  <Typography.Text strong>{task?.title ?? s.stepKey}</Typography.Text>
                  <BucketTag bucket={STATUS_HUE[s.status]}>{t(`task.submissionStatus.${s.status}`)}</BucketTag>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {task ? `${task.campaignName} · ` : ''}
                  {t('history.versions', { n: s.currentVersion })} · {formatDateTime(s.updatedAt)}
                </Typography.Text>
              </Space>
            ),
            children: <Versions id={s.id} link={task ? taskPath(task) : null} />,
          };
        })}
      />
    </Card>
  );
}

function Versions({ id, link }: { id: string; link: string | null }) {
  const t = useT();
  const sub = useQuery({
    queryKey: ['submission', id],
    queryFn: () => unwrap(api.GET('/api/submissions/{id}', { params: { path: { id } } })),
  });
  if (sub.error) return <ErrorAlert error={sub.error} />;
  if (!sub.data) return <Spin aria-label={t('common.loading')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {sub.data.versions.length === 0 ? (
        <Typography.Text type="secondary">{t('history.neverSubmitted')}</Typography.Text>
      ) : (
        <VersionTimeline versions={sub.data.versions} />
      )}
      {link && <PortalLink to={link}>{t('portal.view')}</PortalLink>}
    </Space>
  );
}

function Notices({ code }: { code: string }) {
  const t = useT();
  const inbox = useInbox(code);
  if (inbox.error) return <ErrorAlert error={inbox.error} />;
  if (!inbox.data) return <Spin aria-label={t('common.loading')} />;
  if (inbox.data.items.length === 0) return <Empty description={t('inbox.empty')} />;
  return (
    <Card size="small">
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {inbox.data.items.map((m) => (
          <li key={m.id} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="history-notice">
            <Space orientation="vertical" size={2}>
              <Space size={6} wrap>
                <Tag color={m.readAt ? 'default' : 'blue'}>{m.readAt ? t('history.read') : t('inbox.unread')}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(m.createdAt)}
                  {m.readAt ? ` · ${t('history.readAt', { at: formatDateTime(m.readAt) })}` : ''}
                </Typography.Text>
              </Space>
              <Typography.Text>{m.subject}</Typography.Text>
            </Space>
          </li>
        ))}
      </ul>
    </Card>
  );
}
