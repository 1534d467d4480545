import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  List,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';
import { EChart } from './EChart';
import { PendingTab } from './PendingTab';
import { distributionOption, meanOption, percent, rateOption } from './charts';

type Results = components['schemas']['EvaluationResultsDto'];
type UnitResult = components['schemas']['UnitResultDto'];
type Question = components['schemas']['FormQuestionDto'];

export default function EvaluationsPage() {
  const t = useT();
  const list = useQuery({ queryKey: ['evaluations'], queryFn: () => unwrap(api.GET('/api/evaluations')) });
  const [chosen, setChosen] = useState<string | undefined>();
  const id = chosen ?? list.data?.[0]?.id;
  const results = useQuery({
    queryKey: ['evaluation-results', id],
    enabled: !!id,
    queryFn: () => unwrap(api.GET('/api/evaluations/{id}/results', { params: { path: { id: id! }, query: {} } })),
  });
  const pending = useQuery({
    queryKey: ['evaluation-pending', id],
    enabled: !!id,
    queryFn: () => unwrap(api.GET('/api/evaluations/{id}/pending', { params: { path: { id: id! } } })),
  });
  const r = results.data;
  const unanswered = (pending.data?.units ?? []).reduce((n, u) => n + u.unused, 0);

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
            {t('evaluations.title')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Select
              aria-label={t('evaluations.pick')}
              style={{ width: 320 }}
              loading={list.isPending}
              value={id}
              onChange={setChosen}
              options={(list.data ?? []).map((e) => ({
                value: e.id,
                label: `${e.title}（${t(`evaluations.kind.${e.kind}`)}）`,
              }))}
            />
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('common.refresh')}
              onClick={() => {
                void results.refetch();
                void pending.refetch();
              }}
            />
          </Space>
        }
      >
        <ErrorAlert error={list.error ?? results.error ?? pending.error} style={{ marginBottom: 12 }} />
        {!id && !list.isPending && <Empty description={t('evaluations.none')} />}
        {r && (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
              {t('evaluations.window', { from: formatDateTime(r.opensAt), to: formatDateTime(r.closesAt) })}
            </Typography.Paragraph>
            <Summary r={r} />
          </>
        )}
      </Card>
      {r && id && (
        <Card size="small">
          <Tabs
            items={[
              { key: 'units', label: t('evaluations.tab.units'), children: <UnitsTab r={r} /> },
              { key: 'questions', label: t('evaluations.tab.questions'), children: <QuestionsTab r={r} /> },
              {
                key: 'pending',
                label: t('evaluations.tab.pending', { n: unanswered }),
                children: <PendingTab evaluationId={id} pending={pending.data} loading={pending.isPending} />,
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

/** The overall figures: tokens, answers, response rate, and the first rated question's satisfaction across units. */
function Summary({ r }: { r: Results }) {
  const t = useT();
  const issued = r.units.reduce((n, u) => n + u.issued, 0);
  const responded = r.units.reduce((n, u) => n + u.responded, 0);
  const rated = r.questions.find(
    (q) =>
      q.type !== 'text' && r.units.some((u) => u.questions?.find((x) => x.key === q.key)?.satisfactionRate != null),
  );
  let satisfied = 0;
  let counted = 0;
  for (const u of r.units) {
    const q = u.questions?.find((x) => x.key === rated?.key);
    if (q?.satisfactionRate != null) {
      satisfied += q.satisfactionRate * q.responses;
      counted += q.responses;
    }
  }
  return (
    <Row gutter={16}>
      <Col span={6}>
        <Statistic title={t('evaluations.issued')} value={issued} />
      </Col>
      <Col span={6}>
        <Statistic title={t('evaluations.responded')} value={responded} />
      </Col>
      <Col span={6}>
        <Statistic title={t('evaluations.rate')} value={issued ? percent(responded / issued) : '—'} />
      </Col>
      <Col span={6}>
        <Statistic
          title={rated ? `${t('evaluations.satisfaction')}（${rated.text}）` : t('evaluations.satisfaction')}
          value={counted ? percent(satisfied / counted) : '—'}
        />
      </Col>
    </Row>
  );
}

function UnitsTab({ r }: { r: Results }) {
  const t = useT();
  const rated = r.questions.filter((q) => q.type !== 'text');
  const option = useMemo(() => rateOption(r.units, t('evaluations.rate')), [r.units, t]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <EChart option={option} label={t('evaluations.chart.rate')} height={Math.max(200, r.units.length * 28 + 60)} />
      <Table<UnitResult>
        size="small"
        rowKey="unitId"
        dataSource={r.units}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          { title: t('evaluations.col.unit'), render: (_, u) => `${u.unitName}（${u.unitCode}）` },
          { title: t('evaluations.col.issued'), dataIndex: 'issued', align: 'right' },
          { title: t('evaluations.col.responded'), dataIndex: 'responded', align: 'right' },
          {
            title: t('evaluations.col.rate'),
            dataIndex: 'responseRate',
            align: 'right',
            render: (v: number) => percent(v),
          },
          ...rated.flatMap((q) => [
            ...(q.type === 'scale'
              ? [
                  {
                    title: t('evaluations.col.mean', { q: q.text }),
                    key: `${q.key}-mean`,
                    align: 'right' as const,
                    render: (_: unknown, u: UnitResult) => cell(u, q, (x) => x.mean?.toFixed(2)),
                  },
                ]
              : []),
            {
              title: t('evaluations.col.satisfaction', { q: q.text }),
              key: `${q.key}-sat`,
              align: 'right' as const,
              render: (_: unknown, u: UnitResult) =>
                cell(u, q, (x) => (x.satisfactionRate == null ? undefined : percent(x.satisfactionRate))),
            },
          ]),
        ]}
      />
      {r.units.some((u) => u.questions === null) && <Alert type="info" showIcon title={t('evaluations.withheld')} />}
    </Space>
  );
}

function cell(u: UnitResult, q: Question, pick: (x: components['schemas']['QuestionResultDto']) => string | undefined) {
  if (!u.questions) return <Tag>—</Tag>;
  const x = u.questions.find((y) => y.key === q.key);
  return x ? (pick(x) ?? '—') : '—';
}

function QuestionsTab({ r }: { r: Results }) {
  const t = useT();
  const shown = r.units.filter((u) => u.questions);
  return (
    <Row gutter={[12, 12]}>
      {r.questions.map((q) => {
        const results = shown.map((u) => u.questions!.find((x) => x.key === q.key)).filter((x) => x !== undefined);
        const responses = results.reduce((n, x) => n + x.responses, 0);
        if (q.type === 'text') {
          const comments = results.flatMap((x) => x.comments ?? []);
          return (
            <Col span={24} key={q.key}>
              <Card size="small" title={q.text} extra={t('evaluations.comments', { n: comments.length })}>
                <List
                  size="small"
                  dataSource={comments}
                  renderItem={(c) => <List.Item>{c}</List.Item>}
                  style={{ maxHeight: 240, overflow: 'auto' }}
                />
              </Card>
            </Col>
          );
        }
        return (
          <Col xs={24} xl={12} key={q.key}>
            <Card size="small" title={q.text} extra={t('evaluations.responses', { n: responses })}>
              <EChart
                option={distributionOption(q, results)}
                label={t('evaluations.chart.question', { q: q.text })}
                height={220}
              />
              {q.type === 'scale' && shown.length > 0 && (
                <EChart
                  option={meanOption(q, shown)}
                  label={t('evaluations.chart.mean', { q: q.text })}
                  height={Math.max(160, shown.length * 26 + 50)}
                />
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
