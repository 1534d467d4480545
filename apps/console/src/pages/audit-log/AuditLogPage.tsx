import { ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Row, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';
import { dayRangeInstants } from '../dead-letters/dateRange';

type Entry = components['schemas']['AuditEntryDto'];
interface Filters {
  actor?: string;
  actionPrefix?: string;
  entity?: string;
  entityId?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}
const PAGE = 100;
const text = (v?: string) => v?.trim() || undefined;

export default function AuditLogPage() {
  const t = useT();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    actor: text(filters.actor),
    actionPrefix: text(filters.actionPrefix),
    entity: text(filters.entity),
    entityId: text(filters.entityId),
    ...dayRangeInstants(filters.dates),
    limit: PAGE,
  };
  // newest first, paged backwards by id (`before`)
  const log = useInfiniteQuery({
    queryKey: ['audit-log', query],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/audit-log', { params: { query: { ...query, before: pageParam } } })),
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1].id : undefined),
  });
  const rows = log.data?.pages.flat() ?? [];
  const field = (name: keyof Filters, label: string, placeholder: string) => (
    <Col xs={24} md={12} xl={6}>
      <Form.Item name={name} label={label} htmlFor={`audit-${name}`} style={{ marginBottom: 8 }}>
        <Input id={`audit-${name}`} allowClear maxLength={254} placeholder={placeholder} />
      </Form.Item>
    </Col>
  );

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
      }
      extra={<Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => log.refetch()} />}
    >
      <Form form={form} layout="vertical" onFinish={(v) => setFilters(v)} style={{ marginBottom: 12 }}>
        <Row gutter={12}>
          {field('actor', t('audit.actor'), 'office@…')}
          {field('actionPrefix', t('audit.action'), 'submission.')}
          {field('entity', t('audit.entity'), 'submission')}
          {field('entityId', t('audit.entityId'), '')}
          <Col xs={24} md={12} xl={8}>
            <Form.Item name="dates" label={t('audit.dates')} htmlFor="audit-dates" style={{ marginBottom: 8 }}>
              <DatePicker.RangePicker id={{ start: 'audit-dates' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={8} style={{ display: 'flex', alignItems: 'flex-end', paddingBottom: 8 }}>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('audit.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                }}
              >
                {t('audit.reset')}
              </Button>
            </Space>
          </Col>
        </Row>
      </Form>
      <ErrorAlert error={log.error} style={{ marginBottom: 12 }} />
      <Table<Entry>
        size="small"
        rowKey="id"
        loading={log.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('audit.empty') }}
        expandable={{
          expandedRowRender: (e) => <Change entry={e} />,
          rowExpandable: (e) => e.before != null || e.after != null,
        }}
        columns={[
          { title: t('audit.col.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
          {
            title: t('audit.col.actor'),
            render: (_, e) => (
              <Space size={4} wrap>
                <span>{e.actorEmail ?? t('audit.anonymous')}</span>
                {e.actorRoles.map((r) => (
                  <Tag key={r}>{t(`role.${r}`)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('audit.col.action'),
            dataIndex: 'action',
            width: 220,
            render: (a: string) => (
              <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                {a}
              </Typography.Text>
            ),
          },
          {
            title: t('audit.col.entity'),
            render: (_, e) => (
              <span>
                {e.entity}
                {e.entityId ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    {e.entityId}
                  </Typography.Text>
                ) : null}
              </span>
            ),
          },
          { title: t('audit.col.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
      {log.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('audit.more')}
          </Button>
        </div>
      )}
    </Card>
  );
}

function Change({ entry }: { entry: Entry }) {
  const t = useT();
  const block = (label: string, value: unknown) => (
    <Col span={12}>
      <Typography.Text strong>{label}</Typography.Text>
      <pre style={{ fontSize: 12, maxHeight: 320, overflow: 'auto', background: '#fafafa', padding: 8, margin: 0 }}>
        {value == null ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </Col>
  );
  return (
    <Row gutter={12}>
      {block(t('audit.before'), entry.before)}
      {block(t('audit.after'), entry.after)}
    </Row>
  );
}
