import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useIsFetching, useQuery, useQueryClient } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Col, Input, Row, Select, Space, Statistic, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { StatusLegend } from '../../shared/StatusLegend';
import { formatDateTime } from '../../shared/time';
import { UNIT_KINDS } from '../../shared/units/UnitTree';
import { CYCLES_KEY } from '../campaigns/cycles';
import { FILTER_STATUSES, MATRIX_TO_DISPLAY, type MatrixStatus } from './matrix';
import { matrixQuery } from './matrix-query';
import { MatrixGrid } from './MatrixGrid';
import { TotalsChart } from './TotalsChart';

type TreeNode = components['schemas']['UnitTreeNodeDto'];
type Filters = {
  stage?: string;
  status?: MatrixStatus[];
  kind?: (typeof UNIT_KINDS)[number][];
  subtree?: string;
  search?: string;
};

const list = <T extends string>(v: string | null) => (v ? (v.split(',').filter(Boolean) as T[]) : undefined);

/** A several-values filter whose options are found by typing part of a label (the status and kind filters). */
function MultiSelectFilter<T extends string>(p: {
  id: string;
  width: number;
  value: T[] | undefined;
  onChange: (value: T[]) => void;
  options: { value: T; label: string }[];
}) {
  return (
    <Select
      id={p.id}
      mode="multiple"
      optionFilterProp="label"
      allowClear
      maxTagCount="responsive"
      style={{ width: p.width }}
      value={p.value ?? []}
      onChange={p.onChange}
      options={p.options}
    />
  );
}

/** Filters live in the address (?stage=&status=&kind=&subtree=&search=): back from a unit page keeps them. */
function useFilters(): [Filters, (patch: Partial<Filters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    stage: params.get('stage') ?? undefined,
    status: list<MatrixStatus>(params.get('status')),
    kind: list<(typeof UNIT_KINDS)[number]>(params.get('kind')),
    subtree: params.get('subtree') ?? undefined,
    search: params.get('search') ?? undefined,
  };
  const set = (patch: Partial<Filters>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          const s = Array.isArray(v) ? v.join(',') : (v ?? '');
          if (s) next.set(k, s);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return [filters, set];
}

export default function ProgressMatrixPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [filters, setFilters] = useFilters();
  const [searchText, setSearchText] = useState(filters.search ?? '');
  const [treeWanted, setTreeWanted] = useState(Boolean(filters.subtree));

  const cycles = useQuery({ queryKey: CYCLES_KEY, queryFn: () => unwrap(api.GET('/api/cycles')) });
  const cycle = cycles.data?.find((c) => c.id === id);
  const client = useQueryClient();
  // The page renders when the matrix changes, not on every refetch: the held answer's `matrix` stays the same object
  // across 304s, and the fetching state and the time of the last check are read by <MatrixAsOf> alone.
  const matrixOptions = matrixQuery(client, id, filters);
  const matrix = useQuery({ ...matrixOptions, select: (held) => held.matrix });
  const tree = useQuery({
    queryKey: ['unit-tree'],
    queryFn: () => unwrap(api.GET('/api/units/tree')),
    enabled: treeWanted,
    staleTime: 300_000,
  });
  const treeData = useMemo(() => (tree.data ?? []).map(toTreeOption), [tree.data]);

  const m = matrix.data;
  const byStage = useMemo(() => {
    const stageTitle = new Map(m?.stages.map((s) => [s.key, s.title]));
    return Object.entries(m?.totals.byStage ?? {}).map(([k, c]) => [stageTitle.get(k) ?? k, c] as [string, typeof c]);
  }, [m]);
  const byKind = useMemo(
    () => Object.entries(m?.totals.byKind ?? {}).map(([k, c]) => [t(`unitKind.${k}`), c] as [string, typeof c]),
    [m, t],
  );
  const sum = (s: MatrixStatus) => Object.values(m?.totals.byStage ?? {}).reduce((n, c) => n + (c.byStatus[s] ?? 0), 0);
  const exportHref = `/api/cycles/${id}/progress/matrix/export?${new URLSearchParams(
    Object.entries(filters)
      .filter(([, v]) => v && String(v))
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
  ).toString()}`;

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">{t('campaigns.title')}</Link> },
          { title: cycle?.name ?? '…' },
          { title: t('matrix.title') },
        ]}
      />
      <Card
        size="small"
        title={
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {t('matrix.heading', { name: cycle?.name ?? '' })}
          </Typography.Title>
        }
        extra={
          <Space>
            <MatrixAsOf options={matrixOptions} timeZone={cycle?.timeZone} />
            <Button icon={<DownloadOutlined />} href={exportHref} download>
              {t('matrix.export')}
            </Button>
          </Space>
        }
      >
        <Space wrap size={12} style={{ marginBottom: 12 }} className="matrix-filters">
          <style>{'.matrix-filter { display: inline-flex; align-items: center; gap: 6px; }'}</style>
          <label className="matrix-filter">
            <span>{t('matrix.filter.stage')}</span>
            <Select
              id="matrix-filter-stage"
              allowClear
              style={{ width: 160 }}
              value={filters.stage}
              onChange={(stage) => setFilters({ stage })}
              options={(m?.stages ?? []).map((s) => ({ value: s.key, label: s.title }))}
            />
          </label>
          <label className="matrix-filter">
            <span>{t('matrix.filter.status')}</span>
            <MultiSelectFilter
              id="matrix-filter-status"
              width={220}
              value={filters.status}
              onChange={(status) => setFilters({ status })}
              options={FILTER_STATUSES.map((s) => ({ value: s, label: t(`stepStatus.${MATRIX_TO_DISPLAY[s]}`) }))}
            />
          </label>
          <label className="matrix-filter">
            <span>{t('matrix.filter.kind')}</span>
            <MultiSelectFilter
              id="matrix-filter-kind"
              width={200}
              value={filters.kind}
              onChange={(kind) => setFilters({ kind })}
              options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))}
            />
          </label>
          <label className="matrix-filter">
            <span>{t('matrix.filter.subtree')}</span>
            <TreeSelect
              id="matrix-filter-subtree"
              allowClear
              showSearch
              treeNodeFilterProp="title"
              style={{ width: 240 }}
              value={filters.subtree}
              onOpenChange={(open) => open && setTreeWanted(true)}
              loading={tree.isFetching}
              treeData={treeData}
              onChange={(subtree) => setFilters({ subtree })}
              popupMatchSelectWidth={360}
            />
          </label>
          <label className="matrix-filter">
            <span>{t('matrix.filter.search')}</span>
            <Input.Search
              id="matrix-filter-search"
              allowClear
              style={{ width: 220 }}
              value={searchText}
              onChange={(e) => {
                setSearchText(e.target.value);
                if (!e.target.value) setFilters({ search: undefined });
              }}
              onSearch={(search) => setFilters({ search: search.trim() || undefined })}
            />
          </label>
        </Space>
        <ErrorAlert error={matrix.error ?? cycles.error} style={{ marginBottom: 12 }} />
        <Row gutter={12} style={{ marginBottom: 12 }}>
          {(
            [
              ['matrix.stat.units', m?.totals.units],
              ['stepStatus.overdue', m && sum('overdue')],
              ['stepStatus.escalated', m && sum('escalated')],
              ['stepStatus.dueSoon', m && sum('due_soon')],
              ['stepStatus.submitted', m && sum('submitted')],
            ] as const
          ).map(([key, value]) => (
            <Col key={key} flex="1 1 0">
              <Statistic
                title={t(key)}
                value={value ?? 0}
                loading={!m}
                valueStyle={{ fontSize: 20 }}
                data-testid={`matrix-stat-${key}`}
              />
            </Col>
          ))}
        </Row>
        <div style={{ marginBottom: 8 }}>
          <StatusLegend statuses={FILTER_STATUSES.map((s) => MATRIX_TO_DISPLAY[s]!)} />
        </div>
        {m && <MatrixGrid matrix={m} cycleId={id} height="max(420px, calc(100vh - 360px))" />}
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('matrix.byStage')}>
            <TotalsChart groups={byStage} label={t('matrix.byStage')} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('matrix.byKind')}>
            <TotalsChart groups={byKind} label={t('matrix.byKind')} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** The time of the last answer or 304, and the refresh button with the fetching state: re-rendered on every refetch. */
function MatrixAsOf({ options, timeZone }: { options: ReturnType<typeof matrixQuery>; timeZone?: string }) {
  const t = useT();
  const checkedAt = useQuery({ ...options, select: (held) => held.checkedAt });
  const fetching = useIsFetching({ queryKey: options.queryKey }) > 0;
  return (
    <>
      <Typography.Text type="secondary" data-testid="matrix-as-of">
        {checkedAt.data ? t('matrix.asOf', { at: formatDateTime(checkedAt.data, timeZone) }) : ''}
      </Typography.Text>
      <Button
        icon={<ReloadOutlined />}
        aria-label={t('common.refresh')}
        loading={fetching}
        onClick={() => checkedAt.refetch()}
      />
    </>
  );
}

function toTreeOption(n: TreeNode): { value: string; title: string; children: ReturnType<typeof toTreeOption>[] } {
  return { value: n.code, title: `${n.name}（${n.code}）`, children: n.children.map(toTreeOption) };
}
