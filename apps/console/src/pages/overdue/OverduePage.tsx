import { DownloadOutlined, FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Segmented, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { stepStatusTagStyle } from '../../shared/status';
import { formatDateTime } from '../../shared/time';

type OverdueItem = components['schemas']['OverdueItemDto'];
type BulletinEntry = components['schemas']['BulletinEntryDto'];
type Rung = 'all' | 'none' | 'escalated' | 'bulletin';

const RUNG_FILTER: Record<Rung, (i: OverdueItem) => boolean> = {
  all: () => true,
  none: (i) => i.escalationLevel === 0,
  escalated: (i) => i.escalationLevel > 0,
  bulletin: (i) => i.onBulletin,
};

export default function OverduePage() {
  const t = useT();
  const cycles = useQuery({ queryKey: ['cycles'], queryFn: () => unwrap(api.GET('/api/cycles')) });
  const [chosen, setChosen] = useState<string | undefined>();
  const cycleId = chosen ?? (cycles.data?.find((c) => c.status === 'running') ?? cycles.data?.[0])?.id;
  const [rung, setRung] = useState<Rung>('all');
  const [tab, setTab] = useState('overdue');

  const overdue = useQuery({
    queryKey: ['overdue', cycleId],
    enabled: !!cycleId,
    queryFn: () =>
      unwrap(api.GET('/api/cycles/{id}/overdue', { params: { path: { id: cycleId! }, query: { limit: 5000 } } })),
  });
  const bulletin = useQuery({
    queryKey: ['bulletin', cycleId],
    enabled: !!cycleId,
    queryFn: () => unwrap(api.GET('/api/cycles/{id}/bulletin', { params: { path: { id: cycleId! }, query: {} } })),
  });
  const zone = overdue.data?.timeZone ?? bulletin.data?.timeZone;
  const rows = (overdue.data?.items ?? []).filter(RUNG_FILTER[rung]);
  const exportUrl = (format: 'xlsx' | 'csv') =>
    `/api/cycles/${cycleId}/bulletin/export?format=${format}&asOf=${encodeURIComponent(bulletin.data?.asOf ?? '')}`;

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
          {t('overdue.title')}
        </Typography.Title>
      }
      extra={
        <Space>
          <Select
            aria-label={t('overdue.cycle')}
            style={{ width: 260 }}
            placeholder={t('overdue.noCycle')}
            loading={cycles.isPending}
            value={cycleId}
            onChange={setChosen}
            options={(cycles.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Button
            icon={<ReloadOutlined />}
            aria-label={t('common.refresh')}
            onClick={() => {
              void overdue.refetch();
              void bulletin.refetch();
            }}
          />
        </Space>
      }
    >
      <ErrorAlert error={cycles.error ?? overdue.error ?? bulletin.error} style={{ marginBottom: 12 }} />
      {!cycleId && !cycles.isPending ? (
        <Empty description={t('overdue.noCycle')} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          tabBarExtraContent={
            <Typography.Text type="secondary">
              {t('overdue.asOf', { at: formatDateTime(overdue.data?.asOf, zone) })}
            </Typography.Text>
          }
          items={[
            {
              key: 'overdue',
              label: t('overdue.tab.overdue', { n: overdue.data?.total ?? 0 }),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Space>
                    <Typography.Text id="rung-filter-label">{t('overdue.rung')}:</Typography.Text>
                    <Segmented<Rung>
                      aria-labelledby="rung-filter-label"
                      value={rung}
                      onChange={setRung}
                      options={(['all', 'none', 'escalated', 'bulletin'] as Rung[]).map((r) => ({
                        value: r,
                        label: t(`overdue.rung.${r}`),
                      }))}
                    />
                    {overdue.data && overdue.data.total > overdue.data.items.length && (
                      <Typography.Text type="warning">
                        {t('overdue.shown', { shown: overdue.data.items.length, total: overdue.data.total })}
                      </Typography.Text>
                    )}
                  </Space>
                  <OverdueTable rows={rows} loading={overdue.isPending} zone={zone} />
                </Space>
              ),
            },
            {
              key: 'bulletin',
              label: t('overdue.tab.bulletin', { n: bulletin.data?.entries.length ?? 0 }),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Space>
                    <Button
                      type="primary"
                      icon={<FileExcelOutlined />}
                      href={exportUrl('xlsx')}
                      download
                      disabled={!bulletin.data}
                    >
                      {t('overdue.export.xlsx')}
                    </Button>
                    <Button icon={<DownloadOutlined />} href={exportUrl('csv')} download disabled={!bulletin.data}>
                      {t('overdue.export.csv')}
                    </Button>
                  </Space>
                  <BulletinTable rows={bulletin.data?.entries ?? []} loading={bulletin.isPending} />
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function OverdueTable({ rows, loading, zone }: { rows: OverdueItem[]; loading: boolean; zone?: string }) {
  const t = useT();
  return (
    <Table<OverdueItem>
      size="small"
      rowKey={(r) => `${r.unitId}/${r.stepKey}`}
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t('overdue.empty') }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        {
          title: t('overdue.col.unit'),
          render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{r.unitName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.unitCode}
              </Typography.Text>
            </Space>
          ),
        },
        { title: t('overdue.col.parent'), dataIndex: 'parentName', render: (v: string | null) => v ?? '—' },
        { title: t('overdue.col.step'), dataIndex: 'stepTitle' },
        {
          title: t('overdue.col.status'),
          dataIndex: 'status',
          render: (s: string) => <Tag style={stepStatusTagStyle(s)}>{t(`stepStatus.${s}`)}</Tag>,
        },
        { title: t('overdue.col.due'), dataIndex: 'dueAt', render: (v: string) => formatDateTime(v, zone) },
        {
          title: t('overdue.col.days'),
          dataIndex: 'daysOverdue',
          align: 'right',
          defaultSortOrder: 'descend',
          sorter: (a, b) => a.daysOverdue - b.daysOverdue,
          render: (n: number) => (
            <Typography.Text type="danger" strong>
              {t('overdue.days', { n })}
            </Typography.Text>
          ),
        },
        {
          title: t('overdue.rung'),
          sorter: (a, b) => a.escalationLevel - b.escalationLevel,
          render: (_, r) => (
            <Space size={4}>
              {r.escalationLevel > 0 ? (
                <Tag style={stepStatusTagStyle('escalated')}>{t('overdue.rung.level', { n: r.escalationLevel })}</Tag>
              ) : (
                <Tag>{t('overdue.rung.none')}</Tag>
              )}
              {r.onBulletin && <Tag color="magenta">{t('overdue.onBulletin')}</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function BulletinTable({ rows, loading }: { rows: BulletinEntry[]; loading: boolean }) {
  const t = useT();
  return (
    <Table<BulletinEntry>
      size="small"
      bordered
      rowKey="unitCode"
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t('overdue.emptyBulletin') }}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { title: t('overdue.col.rank'), dataIndex: 'rank', width: 64, align: 'center' },
        { title: t('overdue.col.unit'), render: (_, r) => `${r.unitName}（${r.unitCode}）` },
        { title: t('overdue.col.kind'), dataIndex: 'unitKind', render: (k: string) => t(`unitKind.${k}`) },
        { title: t('overdue.col.parent'), dataIndex: 'parentName', render: (v: string | null) => v ?? '—' },
        {
          title: t('overdue.col.days'),
          dataIndex: 'daysOverdue',
          align: 'right',
          render: (n: number) => (
            <Typography.Text type="danger" strong>
              {t('overdue.days', { n })}
            </Typography.Text>
          ),
        },
        {
          title: t('overdue.col.steps'),
          render: (_, r) => r.steps.map((s) => `${s.title}（${t('overdue.days', { n: s.daysOverdue })}）`).join('；'),
        },
      ]}
    />
  );
}
