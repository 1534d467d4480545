import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatInstant, unitKey, type UnitNotice } from './unit';

const KIND_COLOR = { reminder: 'blue', due: 'orange', escalation: 'red' } as const;
const DELIVERY_COLOR = { sent: 'green', pending: 'default', muted: 'default', dead: 'red' } as const;

/** Reminders, due notices and escalations: when, to whom (by name), on which channel, sent or not, read or not. */
export function UnitNotices({
  cycleId,
  unit,
  timeZone,
  stepTitle,
  refetchInterval,
}: {
  cycleId: string;
  unit: string;
  timeZone: string;
  stepTitle: (key: string) => string;
  refetchInterval: number;
}) {
  const t = useT();
  const notices = useQuery({
    queryKey: [...unitKey(cycleId, unit), 'notices'],
    queryFn: () =>
      unwrap(api.GET('/api/cycles/{id}/units/{unit}/notices', { params: { path: { id: cycleId, unit } } })),
    refetchInterval,
  });
  return (
    <>
      <ErrorAlert error={notices.error} style={{ marginBottom: 12 }} />
      <Table<UnitNotice>
        data-testid="unit-notices"
        rowKey="id"
        size="small"
        loading={notices.isPending}
        dataSource={notices.data ?? []}
        pagination={false}
        locale={{ emptyText: t('unit.notices.empty') }}
        columns={[
          { title: t('unit.notices.at'), render: (_, n) => formatInstant(n.scheduledFor, timeZone), width: 200 },
          {
            title: t('unit.notices.kind'),
            render: (_, n) => (
              <Tag color={KIND_COLOR[n.kind as keyof typeof KIND_COLOR]} data-testid="notice-kind" data-kind={n.kind}>
                {t(`unit.notices.kind.${n.kind}`)}
                {n.kind === 'escalation' && n.rung != null ? ` · ${t(`unit.notices.audience.${n.audience}`)}` : ''}
              </Tag>
            ),
          },
          { title: t('unit.step'), render: (_, n) => stepTitle(n.stepKey) },
          {
            title: t('unit.notices.deliveries'),
            render: (_, n) =>
              n.deliveries.length ? (
                <Space direction="vertical" size={2}>
                  {n.deliveries.map((d, i) => (
                    <Space key={i} size={6} wrap data-testid="notice-delivery">
                      <Tag style={{ marginInlineEnd: 0 }}>{t(`unit.channel.${d.channel}`)}</Tag>
                      <Typography.Text>{d.recipientName}</Typography.Text>
                      {d.recipientUnitName && d.recipientUnitName !== d.recipientName && (
                        <Typography.Text type="secondary">（{d.recipientUnitName}）</Typography.Text>
                      )}
                      <Tag
                        color={DELIVERY_COLOR[d.status as keyof typeof DELIVERY_COLOR]}
                        style={{ marginInlineEnd: 0 }}
                      >
                        {t(`unit.delivery.${d.status}`)}
                        {d.sentAt ? ` ${formatInstant(d.sentAt, timeZone)}` : ''}
                      </Tag>
                      {d.channel === 'inbox' && (
                        <Typography.Text type={d.readAt ? 'success' : 'secondary'}>
                          {d.readAt
                            ? t('unit.delivery.read', { at: formatInstant(d.readAt, timeZone) })
                            : t('unit.delivery.unread')}
                        </Typography.Text>
                      )}
                    </Space>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('unit.notices.planned')}</Typography.Text>
              ),
          },
        ]}
      />
    </>
  );
}
