import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Row, Segmented, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { CYCLE_STATUS_TAG, UNIT_RUN_STATUS_COLORS, type CycleStatus } from '../../shared/status';
import { formatDateTime } from '../../shared/time';
import { ControlButtons } from './ControlButtons';
import { CYCLES_KEY, type Cycle } from './cycles';

const STATUSES: CycleStatus[] = ['running', 'paused', 'starting', 'completed', 'cancelled'];

export default function CampaignsPage() {
  const t = useT();
  const navigate = useNavigate();
  const isAdmin = useSession().data?.roles.includes('office_admin') ?? false;
  const [status, setStatus] = useState<CycleStatus | 'all'>('all');
  const cycles = useQuery({
    queryKey: CYCLES_KEY,
    queryFn: () => unwrap(api.GET('/api/cycles')),
    refetchInterval: 30_000,
  });
  const all = cycles.data ?? [];
  const shown = status === 'all' ? all : all.filter((c) => c.status === status);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={16}>
        {[
          ['campaigns.summary.total', all.length],
          ['campaigns.summary.running', all.filter((c) => c.status === 'running').length],
          ['campaigns.summary.paused', all.filter((c) => c.status === 'paused').length],
          ['campaigns.summary.overdue', all.reduce((n, c) => n + c.overdueSteps, 0)],
        ].map(([key, value]) => (
          <Col key={key} xs={12} md={6}>
            <Card size="small">
              <Statistic title={t(String(key))} value={Number(value)} loading={cycles.isPending} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        size="small"
        title={
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {t('campaigns.title')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => cycles.refetch()} aria-label={t('common.refresh')} />
            {isAdmin && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cycles/new')}>
                {t('campaigns.start')}
              </Button>
            )}
          </Space>
        }
      >
        <Segmented<CycleStatus | 'all'>
          style={{ marginBottom: 12 }}
          value={status}
          onChange={setStatus}
          options={[
            { label: t('campaigns.filter.all'), value: 'all' },
            ...STATUSES.map((s) => ({ label: t(`cycleStatus.${s}`), value: s })),
          ]}
        />
        <ErrorAlert error={cycles.error} style={{ marginBottom: 12 }} />
        <Table<Cycle>
          rowKey="id"
          size="small"
          loading={cycles.isPending}
          dataSource={shown}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
          locale={{ emptyText: t('campaigns.empty') }}
          columns={[
            // The cycle's name opens its progress matrix (pages/progress-matrix).
            {
              title: t('campaigns.col.name'),
              dataIndex: 'name',
              render: (name: string, c) => (
                <Link to={`/cycles/${c.id}/matrix`} title={t('matrix.link')} style={{ fontWeight: 600 }}>
                  {name}
                </Link>
              ),
            },
            { title: t('campaigns.col.template'), render: (_, c) => `${c.templateKey} (v${c.templateVersion})` },
            {
              title: t('campaigns.col.status'),
              dataIndex: 'status',
              render: (s: CycleStatus) => <Tag color={CYCLE_STATUS_TAG[s]}>{t(`cycleStatus.${s}`)}</Tag>,
            },
            { title: t('campaigns.col.startsAt'), render: (_, c) => formatDateTime(c.startsAt, c.timeZone) },
            { title: t('campaigns.col.units'), dataIndex: 'unitCount', align: 'right' },
            { title: t('campaigns.col.byStatus'), render: (_, c) => <UnitsByStatus cycle={c} /> },
            {
              title: t('campaigns.col.overdue'),
              dataIndex: 'overdueSteps',
              align: 'right',
              render: (n: number) =>
                n > 0 ? (
                  <Badge count={n} overflowCount={99999} />
                ) : (
                  <Typography.Text type="secondary">0</Typography.Text>
                ),
            },
            ...(isAdmin
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, c: Cycle) => <ControlButtons cycle={c} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}

/** A thin stacked bar of the cycle's units by status, with the numbers in a tooltip and beside it. */
function UnitsByStatus({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const entries = (Object.keys(UNIT_RUN_STATUS_COLORS) as (keyof typeof UNIT_RUN_STATUS_COLORS)[])
    .map((s) => [s, cycle.unitsByStatus[s] ?? 0] as const)
    .filter(([, n]) => n > 0);
  const total = entries.reduce((n, [, v]) => n + v, 0) || 1;
  const text = entries.map(([s, n]) => `${t(`campaigns.units.${s}`)} ${n}`).join(' · ');
  return (
    <Tooltip title={text}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 180 }}>
        <div
          style={{ display: 'flex', width: 100, height: 8, borderRadius: 4, overflow: 'hidden', background: '#f0f0f0' }}
          aria-hidden
        >
          {entries.map(([s, n]) => (
            <div key={s} style={{ width: `${(100 * n) / total}%`, background: UNIT_RUN_STATUS_COLORS[s] }} />
          ))}
        </div>
        <Typography.Text style={{ fontSize: 12 }}>{text || '—'}</Typography.Text>
      </div>
    </Tooltip>
  );
}
