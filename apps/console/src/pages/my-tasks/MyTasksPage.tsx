import { RightOutlined } from '@ant-design/icons';
import { Alert, Badge, Card, Col, Empty, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../../i18n/I18nProvider';
import { BUCKET_COLORS, BUCKETS, dueWords, taskPath, useTasks, type Bucket, type Task } from '../../portal/tasks';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { BucketTag } from '../../portal/StatusTag';
import { formatDateTime } from '../../shared/time';

/** The landing page of unit accounts: what is overdue, returned, due soon, open, awaiting review and coming next. */
export default function MyTasksPage() {
  const t = useT();
  const tasks = useTasks();
  const [unitId, setUnitId] = useState<string>('all');
  const units = tasks.data?.units ?? [];
  const shown = (tasks.data?.tasks ?? []).filter((x) => unitId === 'all' || x.unitId === unitId);
  const manyUnits = units.length > 1;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('myTasks.title')}
        </Typography.Title>
        {manyUnits && (
          <Select
            aria-label={t('myTasks.unitFilter')}
            value={unitId}
            onChange={setUnitId}
            style={{ minWidth: 200, maxWidth: '100%' }}
            options={[
              { value: 'all', label: t('portal.allUnits') },
              ...units.map((u) => ({ value: u.id, label: u.own ? `${u.name}（${t('portal.ownUnit')}）` : u.name })),
            ]}
          />
        )}
      </Space>
      <ErrorAlert error={tasks.error} />
      <Row gutter={[12, 12]}>
        {BUCKETS.map((b) => (
          <Col key={b} xs={8} md={4}>
            <Card size="small" styles={{ body: { padding: 12 } }}>
              <Statistic
                title={t(`portal.bucket.${b}`)}
                value={shown.filter((x) => x.bucket === b).length}
                loading={tasks.isPending}
                styles={{
                  content: {
                    color: b === 'overdue' ? '#cf1322' : b === 'returned' ? '#d4380d' : undefined,
                    fontSize: 22,
                  },
                }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {!tasks.isPending && shown.length === 0 && <Empty description={t('myTasks.empty')} />}
      {BUCKETS.filter((b) => shown.some((x) => x.bucket === b)).map((b) => (
        <BucketSection key={b} bucket={b} tasks={shown.filter((x) => x.bucket === b)} showUnit={manyUnits} />
      ))}
    </Space>
  );
}

function BucketSection({ bucket, tasks, showUnit }: { bucket: Bucket; tasks: Task[]; showUnit: boolean }) {
  const t = useT();
  return (
    <Card
      size="small"
      title={
        <Space>
          <Badge color={BUCKET_COLORS[bucket] === 'default' ? 'gray' : BUCKET_COLORS[bucket]} />
          <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
            {t(`portal.bucket.${bucket}`)}
          </Typography.Title>
          <Tag>{tasks.length}</Tag>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
      data-testid={`bucket-${bucket}`}
    >
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {tasks.map((task) => (
          <TaskItem key={`${task.cycleId}/${task.unitId}/${task.stepKey}`} task={task} showUnit={showUnit} />
        ))}
      </ul>
    </Card>
  );
}

function TaskItem({ task, showUnit }: { task: Task; showUnit: boolean }) {
  const t = useT();
  const upcoming = task.bucket === 'upcoming';
  return (
    <li style={{ borderTop: '1px solid #f0f0f0' }}>
      <Link
        to={taskPath(task)}
        style={{ display: 'block', width: '100%', padding: '12px 16px', color: 'inherit', minHeight: 44 }}
        data-testid="task-link"
      >
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
            <Typography.Text strong>{task.title}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {task.campaignName} · {task.stageTitle}
              {showUnit ? ` · ${task.unitName}` : ''}
            </Typography.Text>
            <Space size={8} wrap>
              <BucketTag bucket={task.bucket}>
                {upcoming ? t('portal.opensAt') + ' ' + formatDateTime(task.opensAt, task.timeZone) : dueWords(task, t)}
              </BucketTag>
              {!upcoming && (
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t('portal.dueAt')} {formatDateTime(task.dueAt, task.timeZone)}
                </Typography.Text>
              )}
            </Space>
            {task.reviewComment && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 6 }}
                title={`${t('portal.reviewComment')}：${task.reviewComment}`}
                description={
                  task.returnedAt
                    ? t('myTasks.returnedBy', { at: formatDateTime(task.returnedAt, task.timeZone) })
                    : undefined
                }
              />
            )}
          </Space>
          <RightOutlined aria-hidden style={{ color: '#8c8c8c', marginTop: 4 }} />
        </Space>
      </Link>
    </li>
  );
}
