import { ExportOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { displayStepStatus, STEP_STATUS_COLORS } from '../../shared/status';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../shared/time';
import { CYCLES_KEY } from '../campaigns/cycles';
import { StepActions, type ReviewTarget } from './StepActions';
import { formatInstant, LINK_STYLE, unitKey, type UnitStep } from './unit';
import { UnitNotices } from './UnitNotices';
import { UnitSubmissions } from './UnitSubmissions';
import { timelineQuery, UnitTimeline } from './UnitTimeline';

const REFRESH_MS = 5_000;

/** One unit in one cycle: its steps (with actions), why a step is as it is, its story, its notices and submissions. */
export default function UnitPage() {
  const { t, lang } = useI18n();
  const { id = '', unit = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const stepKey = params.get('step');
  const roles = useSession().data?.roles ?? [];
  const mayReadTimeline = roles.some((r) => r === 'office_admin' || r === 'auditor');

  const cycles = useQuery({ queryKey: CYCLES_KEY, queryFn: () => unwrap(api.GET('/api/cycles')) });
  const cycle = cycles.data?.find((c) => c.id === id);
  const zone = cycle?.timeZone ?? DEFAULT_TIME_ZONE;
  const detail = useQuery({
    queryKey: unitKey(id, unit),
    queryFn: () => unwrap(api.GET('/api/cycles/{id}/units/{unit}', { params: { path: { id, unit } } })),
    refetchInterval: REFRESH_MS,
  });
  const d = detail.data;
  const submissions = useQuery({
    queryKey: [...unitKey(id, unit), 'submissions', d?.unitId],
    queryFn: () => unwrap(api.GET('/api/submissions', { params: { query: { cycleId: id, unitId: d!.unitId } } })),
    enabled: !!d,
    refetchInterval: REFRESH_MS,
  });
  const why = useQuery({
    queryKey: [...unitKey(id, unit), 'why', stepKey],
    queryFn: () =>
      unwrap(
        api.GET('/api/cycles/{id}/units/{unit}/why', { params: { path: { id, unit }, query: { stepKey: stepKey! } } }),
      ),
    enabled: !!stepKey,
    refetchInterval: REFRESH_MS,
  });
  const summary = useQuery({ ...timelineQuery(id, unit, 'summary'), enabled: mayReadTimeline });
  const uiBase = summary.data?.entries.find((e) => e.link)?.link?.split('/namespaces/')[0];

  // Opened from a matrix cell: bring that step's row into view, once per step (not on every refresh).
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!stepKey || !d || scrolledTo.current === stepKey) return;
    scrolledTo.current = stepKey;
    document.querySelector(`[data-row-key="${CSS.escape(stepKey)}"]`)?.scrollIntoView({ block: 'center' });
  }, [stepKey, d]);

  // Stage titles: the cycle's matrix (one row, this unit) names its stages; the unit's own rows carry keys only.
  const columns = useQuery({
    queryKey: ['progress-matrix-stages', id, unit],
    queryFn: () =>
      unwrap(
        api.GET('/api/cycles/{id}/progress/matrix', { params: { path: { id }, query: { search: unit, limit: 1 } } }),
      ),
    staleTime: 300_000,
  });
  const stageTitleOf = (key: string) => columns.data?.stages.find((s) => s.key === key)?.title ?? key;
  const stepTitle = (key: string) => d?.steps.find((s) => s.stepKey === key)?.title ?? key;
  const reviewOf = (s: UnitStep): ReviewTarget | undefined => {
    const sub = submissions.data?.find((x) => x.stepKey === s.stepKey && x.status === 'submitted');
    return sub ? { submissionId: sub.id, version: sub.currentVersion } : undefined;
  };
  const showWhy = (key: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        n.set('step', key);
        return n;
      },
      { replace: true },
    );

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">{t('campaigns.title')}</Link> },
          { title: <Link to={`/cycles/${id}/matrix`}>{cycle?.name ?? t('matrix.title')}</Link> },
          { title: d ? `${d.unitName}（${d.unitCode}）` : unit },
        ]}
      />
      <ErrorAlert error={detail.error} />
      <Card
        size="small"
        loading={detail.isPending}
        title={
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {d ? `${d.unitName}（${d.unitCode}）` : unit}
          </Typography.Title>
        }
      >
        {d && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('unit.kind')}>{t(`unitKind.${d.unitKind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('unit.status')}>{t(`campaigns.units.${d.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('unit.stage')}>
              {d.currentStage ? stageTitleOf(d.currentStage) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('unit.startedAt')}>{formatDateTime(d.startedAt, zone)}</Descriptions.Item>
            <Descriptions.Item label={t('unit.workflow')}>
              <Space size={6}>
                <Typography.Text code copyable style={{ fontSize: 12 }}>
                  {d.workflow.workflowId}
                </Typography.Text>
                {d.workflow.status && <Tag>{d.workflow.status}</Tag>}
                {uiBase && d.workflow.temporalUiPath && (
                  <Typography.Link
                    href={`${uiBase}${d.workflow.temporalUiPath}`}
                    target="_blank"
                    rel="noreferrer"
                    style={LINK_STYLE}
                  >
                    <ExportOutlined aria-hidden /> {t('unit.openTemporal')}
                  </Typography.Link>
                )}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {stepKey && (
        <Alert
          data-testid="unit-why"
          type="info"
          showIcon
          icon={<QuestionCircleOutlined />}
          closable
          onClose={() =>
            setParams(
              (p) => {
                const n = new URLSearchParams(p);
                n.delete('step');
                return n;
              },
              { replace: true },
            )
          }
          title={t('unit.why.title', { step: stepTitle(stepKey) })}
          description={
            why.error ? (
              <ErrorAlert error={why.error} />
            ) : why.data ? (
              lang === 'zh' ? (
                why.data.zh
              ) : (
                why.data.en
              )
            ) : (
              t('common.loading')
            )
          }
        />
      )}
      <Card size="small" title={t('unit.steps')}>
        <Table<UnitStep>
          data-testid="unit-steps"
          rowKey="stepKey"
          size="small"
          pagination={false}
          dataSource={d?.steps ?? []}
          loading={detail.isPending}
          rowClassName={(s) => (s.stepKey === stepKey ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('unit.stage'), dataIndex: 'stageKey', render: (k: string) => stageTitleOf(k), width: 110 },
            {
              title: t('unit.step'),
              render: (_, s) => (
                <Space size={4}>
                  {s.title}
                  {!s.required && <Tag>{t('unit.optional')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('unit.status'),
              render: (_, s) => {
                const shown = displayStepStatus(s);
                return (
                  <Tag
                    color={STEP_STATUS_COLORS[shown]}
                    data-testid="step-status"
                    data-status={shown}
                    style={{ color: shown === 'pending' ? '#000' : undefined }}
                  >
                    {t(`stepStatus.${shown}`)}
                  </Tag>
                );
              },
            },
            { title: t('unit.opensAt'), render: (_, s) => formatDateTime(s.opensAt, zone) },
            {
              title: t('unit.dueAt'),
              render: (_, s) =>
                s.dueAt !== s.originalDueAt ? (
                  <Tooltip title={t('unit.extendedFrom', { at: formatDateTime(s.originalDueAt, zone) })}>
                    <Space size={4}>
                      {formatDateTime(s.dueAt, zone)}
                      <Tag color="gold">{t('unit.extended')}</Tag>
                    </Space>
                  </Tooltip>
                ) : (
                  formatDateTime(s.dueAt, zone)
                ),
            },
            { title: t('unit.lastChange'), render: (_, s) => lastChange(s) },
            {
              title: t('unit.escalation'),
              dataIndex: 'escalationLevel',
              align: 'right',
              width: 70,
              render: (n: number, s) =>
                n > 0 ? (
                  <Tooltip title={s.onBulletin ? t('unit.onBulletin') : undefined}>
                    <Tag color="red">{n}</Tag>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              render: (_, s) => (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    type="link"
                    style={LINK_STYLE}
                    icon={<QuestionCircleOutlined />}
                    onClick={() => showWhy(s.stepKey)}
                    aria-label={`${t('unit.why.button')}：${s.title}`}
                  >
                    {t('unit.why.button')}
                  </Button>
                  {d && (
                    <StepActions
                      cycleId={id}
                      unit={d.unitCode}
                      unitName={d.unitName}
                      step={s}
                      timeZone={zone}
                      review={reviewOf(s)}
                    />
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'timeline',
              label: t('unit.tab.timeline'),
              children: mayReadTimeline ? (
                <UnitTimeline cycleId={id} unit={unit} timeZone={zone} refetchInterval={REFRESH_MS} />
              ) : (
                <PlainHistory history={d?.history ?? []} zone={zone} />
              ),
            },
            {
              key: 'notices',
              label: t('unit.tab.notices'),
              children: (
                <UnitNotices
                  cycleId={id}
                  unit={unit}
                  timeZone={zone}
                  stepTitle={stepTitle}
                  refetchInterval={REFRESH_MS}
                />
              ),
            },
            {
              key: 'submissions',
              label: t('unit.tab.submissions'),
              children: (
                <UnitSubmissions
                  ids={(submissions.data ?? []).map((s) => s.id)}
                  timeZone={zone}
                  stepTitle={stepTitle}
                />
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );

  function lastChange(s: UnitStep) {
    const [key, at] = s.waivedAt
      ? ['waived', s.waivedAt]
      : s.acceptedAt
        ? ['accepted', s.acceptedAt]
        : s.returnedAt && (!s.submittedAt || s.returnedAt > s.submittedAt)
          ? ['returned', s.returnedAt]
          : s.submittedAt
            ? ['submitted', s.submittedAt]
            : s.openedAt
              ? ['open', s.openedAt]
              : [null, null];
    return key ? `${t(`stepStatus.${key}`)} ${formatInstant(at, zone)}` : '—';
  }
}

function PlainHistory({
  history,
  zone,
}: {
  history: { seq: number; at: string; actor: string; summary: string }[];
  zone: string;
}) {
  return (
    <ul style={{ paddingLeft: 18 }}>
      {history.map((h) => (
        <li key={h.seq}>
          <Typography.Text type="secondary">{formatInstant(h.at, zone)}</Typography.Text> {h.summary}{' '}
          <Typography.Text type="secondary">（{h.actor}）</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
