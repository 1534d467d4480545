import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Collapse, Descriptions, Empty, Row, Segmented, Space, Spin, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { dueWords, taskPath, type PortalUnit, type Task } from '../../portal/tasks';
import { UnitPageHeading, usePickedUnit } from '../../portal/UnitSelect';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { BucketTag } from '../../portal/StatusTag';
import { PortalLink } from '../../portal/PortalLink';
import { formatDate } from '../../shared/time';

/** 整改项目: the unit's items, each with its own deadline and its evidence; and the plans other units published. */
export default function RectificationPage() {
  const t = useT();
  const picker = usePickedUnit();
  const { tasks, unit } = picker;
  const cycles = [
    ...new Map(
      (tasks.data?.tasks ?? []).filter((x) => x.unitId === unit?.id).map((x) => [x.cycleId, x.cycleName]),
    ).entries(),
  ];
  const [cyclePicked, setCycle] = useState<string>();
  const cycleId = cycles.find(([id]) => id === cyclePicked)?.[0] ?? cycles[0]?.[0];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <UnitPageHeading title={t('rect.title')} picker={picker} />
      <ErrorAlert error={tasks.error} />
      {cycles.length > 1 && (
        <Segmented
          value={cycleId}
          onChange={setCycle}
          options={cycles.map(([id, name]) => ({ value: id, label: name }))}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
      )}
      {tasks.data && !cycleId && <Empty description={t('rect.noCycle')} />}
      {unit && cycleId && <Items cycleId={cycleId} unit={unit} tasks={tasks.data!.tasks} />}
      {unit && cycleId && <PublishedPlans cycleId={cycleId} ownUnitId={unit.id} />}
    </Space>
  );
}

function Items({ cycleId, unit, tasks }: { cycleId: string; unit: PortalUnit; tasks: Task[] }) {
  const t = useT();
  const items = useQuery({
    queryKey: ['portal', 'rect-items', cycleId, unit.id],
    queryFn: () =>
      unwrap(
        api.GET('/api/cycles/{cycleId}/units/{unitId}/rectification-items', {
          params: { path: { cycleId, unitId: unit.id } },
        }),
      ),
  });
  if (items.error) return <ErrorAlert error={items.error} />;
  if (!items.data) return <Spin aria-label={t('common.loading')} />;
  const c = items.data.counts;
  return (
    <Card
      size="small"
      title={
        <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
          {t('rect.items')}
        </Typography.Title>
      }
    >
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(['total', 'open', 'overdue', 'completed'] as const).map((k) => (
          <Col key={k} xs={6}>
            <Statistic
              title={t(`rect.count.${k}`)}
              value={c[k]}
              styles={{ content: { fontSize: 20, color: k === 'overdue' && c[k] > 0 ? '#cf1322' : undefined } }}
            />
          </Col>
        ))}
      </Row>
      {items.data.items.length === 0 && <Empty description={t('rect.noItems')} />}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {items.data.items.map((item) => {
          const task = tasks.find((x) => x.cycleId === cycleId && x.unitId === unit.id && x.stepKey === item.stepKey);
          return (
            <Card
              key={item.stepKey}
              size="small"
              type="inner"
              data-testid="rect-item"
              title={t('rect.itemTitle', { n: item.no, project: item.project })}
            >
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('task.item.goal')}>{item.goal}</Descriptions.Item>
                <Descriptions.Item label={t('task.item.responsible')}>{item.responsible}</Descriptions.Item>
                <Descriptions.Item label={t('task.item.measures')}>{item.measures}</Descriptions.Item>
                <Descriptions.Item label={t('task.item.deadline')}>
                  <Space size={6} wrap>
                    {item.deadline}
                    {task && (
                      <BucketTag bucket={task.bucket}>
                        {task.bucket === 'done' || task.bucket === 'submitted'
                          ? t(`portal.bucket.${task.bucket}`)
                          : dueWords(task, t)}
                      </BucketTag>
                    )}
                  </Space>
                </Descriptions.Item>
              </Descriptions>
              {task && (
                <PortalLink to={taskPath(task)}>
                  <UploadOutlined aria-hidden />{' '}
                  {task.bucket === 'done' || task.bucket === 'submitted'
                    ? t('rect.viewEvidence')
                    : t('rect.uploadEvidence')}
                </PortalLink>
              )}
            </Card>
          );
        })}
      </Space>
    </Card>
  );
}

function PublishedPlans({ cycleId, ownUnitId }: { cycleId: string; ownUnitId: string }) {
  const t = useT();
  const plans = useQuery({
    queryKey: ['portal', 'published', cycleId],
    queryFn: () => unwrap(api.GET('/api/cycles/{cycleId}/published-plans', { params: { path: { cycleId } } })),
  });
  const others = (plans.data ?? []).filter((p) => p.unitId !== ownUnitId);
  return (
    <Card
      size="small"
      title={
        <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
          {t('rect.published')}
        </Typography.Title>
      }
    >
      <ErrorAlert error={plans.error} />
      {plans.data && others.length === 0 && <Empty description={t('rect.noPublished')} />}
      {others.length > 0 && (
        <Collapse
          ghost
          items={others.map((p) => ({
            key: `${p.unitId}/${p.stepKey}/${p.deliverableKey}`,
            label: (
              <Space wrap size={6}>
                <Typography.Text strong>{p.unitName}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('rect.acceptedAt', { at: formatDate(p.acceptedAt) })}
                </Typography.Text>
              </Space>
            ),
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {typeof p.text === 'string' && p.text && (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.text}</Typography.Paragraph>
                )}
                {p.items.map((i) => (
                  <Descriptions
                    key={i.no}
                    title={t('rect.itemTitle', { n: i.no, project: i.project })}
                    column={{ xs: 1, md: 2 }}
                    size="small"
                  >
                    <Descriptions.Item label={t('task.item.goal')}>{i.goal}</Descriptions.Item>
                    <Descriptions.Item label={t('task.item.deadline')}>{i.deadline}</Descriptions.Item>
                    <Descriptions.Item label={t('task.item.measures')}>{i.measures}</Descriptions.Item>
                    <Descriptions.Item label={t('task.item.responsible')}>{i.responsible}</Descriptions.Item>
                  </Descriptions>
                ))}
              </Space>
            ),
          }))}
        />
      )}
    </Card>
  );
}
