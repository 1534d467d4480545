import { RedoOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';
import { dayRangeInstants } from './dateRange';

type DeadLetter = components['schemas']['DeadLetterDto'];
type Channel = DeadLetter['channel'];
const CHANNELS = ['email', 'wecom', 'dingtalk', 'webhook', 'inbox', 'none'] as const;
interface Filters {
  channel?: Channel;
  reason?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

export default function DeadLettersPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [confirming, setConfirming] = useState<DeadLetter | null>(null);
  const query = {
    channel: filters.channel,
    reason: filters.reason?.trim() || undefined,
    ...dayRangeInstants(filters.dates),
    limit: 500,
  };
  const list = useQuery({
    queryKey: ['dead-letters', query],
    queryFn: () => unwrap(api.GET('/api/admin/dead-letters', { params: { query } })),
  });
  const retry = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/admin/dead-letters/{id}/retry', { params: { path: { id } } })),
    onSuccess: (r) => {
      message.success(t('deadLetters.retry.done', { channel: t(`channel.${r.channel}`) }));
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: ['dead-letters'] });
    },
  });

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
          {t('deadLetters.title')}
        </Typography.Title>
      }
      extra={<Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => list.refetch()} />}
    >
      <Form form={form} layout="inline" onFinish={(v) => setFilters(v)} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="channel" label={t('deadLetters.channel')} htmlFor="dl-channel">
          <Select
            id="dl-channel"
            allowClear
            placeholder={t('deadLetters.channel.all')}
            style={{ width: 140 }}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('deadLetters.reason')} htmlFor="dl-reason">
          <Input id="dl-reason" allowClear maxLength={200} style={{ width: 200 }} placeholder="550 / timeout" />
        </Form.Item>
        <Form.Item name="dates" label={t('deadLetters.dates')} htmlFor="dl-dates">
          <DatePicker.RangePicker id={{ start: 'dl-dates' }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('deadLetters.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('deadLetters.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />
      <Table<DeadLetter>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('deadLetters.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            title: t('deadLetters.col.deadAt'),
            dataIndex: 'deadAt',
            width: 170,
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('deadLetters.channel'),
            dataIndex: 'channel',
            width: 100,
            render: (c: string) => <Tag>{t(`channel.${c}`)}</Tag>,
          },
          {
            title: t('deadLetters.col.recipient'),
            render: (_, d) => (
              <Space direction="vertical" size={0}>
                <span>{d.recipientName || '—'}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.address}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('deadLetters.col.notice'), render: (_, d) => <NoticeCell notice={d.notice} /> },
          { title: t('deadLetters.col.attempts'), dataIndex: 'attempts', align: 'right', width: 90 },
          {
            title: t('deadLetters.col.error'),
            dataIndex: 'lastError',
            render: (e: string) => (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {e}
              </Typography.Text>
            ),
          },
          {
            title: t('common.actions'),
            width: 110,
            render: (_, d) => (
              <Button size="small" icon={<RedoOutlined />} onClick={() => setConfirming(d)}>
                {t('deadLetters.retry')}
              </Button>
            ),
          },
        ]}
      />
      {confirming && (
        <Modal
          open
          title={t('deadLetters.retry')}
          okText={t('deadLetters.retry')}
          cancelText={t('common.cancel')}
          okButtonProps={{ loading: retry.isPending }}
          onOk={() => retry.mutate(confirming.id)}
          onCancel={() => {
            setConfirming(null);
            retry.reset();
          }}
        >
          <Typography.Paragraph>
            {t('deadLetters.retry.confirm', { name: confirming.recipientName || '—', address: confirming.address })}
          </Typography.Paragraph>
          <ErrorAlert error={retry.error} />
        </Modal>
      )}
    </Card>
  );
}

function NoticeCell({ notice }: { notice: Record<string, unknown> }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      <Tag color="blue">{t(`noticeKind.${String(notice.kind)}`)}</Tag>
      <span>{String(notice.unitCode ?? '')}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {String(notice.stepKey ?? '')}
      </Typography.Text>
    </Space>
  );
}
