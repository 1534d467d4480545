import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Empty, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { stringify } from 'yaml';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { PlanTimeline } from '../../shared/plan/PlanTimeline';
import { usePlanPreview } from '../../shared/plan/plan';
import { dayjs } from '../../shared/time';
import { UNIT_KINDS } from '../../shared/units/UnitTree';
import { TemplateEditor } from './TemplateEditor';
import { STARTER_TEMPLATE } from './starter';

type Selection = { key: string; version: number } | { key: null; version: null };

export default function TemplatesPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const canSave = useSession().data?.roles.includes('office_admin') ?? false;
  const [selection, setSelection] = useState<Selection | null>(null);
  const list = useQuery({ queryKey: ['templates'], queryFn: () => unwrap(api.GET('/api/templates')) });
  const versions = useQuery({
    queryKey: ['templates', selection?.key, 'versions'],
    enabled: Boolean(selection?.key),
    queryFn: () => unwrap(api.GET('/api/templates/{key}/versions', { params: { path: { key: selection!.key! } } })),
  });
  const version = useQuery({
    queryKey: ['templates', selection?.key, selection?.version],
    enabled: Boolean(selection?.key),
    queryFn: () =>
      unwrap(
        api.GET('/api/templates/{key}/versions/{version}', {
          params: { path: { key: selection!.key!, version: selection!.version! } },
        }),
      ),
  });

  const onSaved = (key: string, v: number) => {
    void queryClient.invalidateQueries({ queryKey: ['templates'] });
    setSelection({ key, version: v });
  };

  const editorText =
    selection?.key === null
      ? STARTER_TEMPLATE
      : version.data
        ? stringify(version.data.document, { lineWidth: 0 })
        : null;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={8}>
        <Card
          size="small"
          title={
            <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
              {t('templates.list')}
            </Typography.Title>
          }
          extra={
            canSave && (
              <Button icon={<PlusOutlined />} onClick={() => setSelection({ key: null, version: null })}>
                {t('templates.new')}
              </Button>
            )
          }
        >
          <ErrorAlert error={list.error} />
          <Table
            size="small"
            rowKey="key"
            loading={list.isPending}
            dataSource={list.data ?? []}
            pagination={false}
            onRow={(r) => ({
              onClick: () => setSelection({ key: r.key, version: r.version }),
              style: { cursor: 'pointer' },
            })}
            rowClassName={(r) => (r.key === selection?.key ? 'ant-table-row-selected' : '')}
            columns={[
              {
                title: t('templates.col.name'),
                render: (_, r) => (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
                    onClick={() => setSelection({ key: r.key, version: r.version })}
                  >
                    {r.name}
                  </Button>
                ),
              },
              { title: t('templates.col.key'), dataIndex: 'key' },
              { title: t('templates.col.version'), dataIndex: 'version', width: 64, render: (v: number) => `v${v}` },
              {
                title: t('templates.col.source'),
                dataIndex: 'source',
                width: 72,
                render: (s: string) => (
                  <Tag color={s === 'builtin' ? 'default' : 'blue'}>{t(`templates.source.${s}`)}</Tag>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={16}>
        <Card
          size="small"
          title={selection?.key ?? (selection ? t('templates.new') : ' ')}
          extra={
            selection?.key && (
              <Space>
                <span>{t('templates.version')}</span>
                <Select
                  aria-label={t('templates.version')}
                  size="small"
                  style={{ width: 90 }}
                  value={selection.version}
                  onChange={(v) => setSelection({ key: selection.key, version: v })}
                  options={(versions.data ?? []).map((v) => ({ value: v.version, label: `v${v.version}` }))}
                />
              </Space>
            )
          }
        >
          {!selection ? (
            <Empty description={t('templates.pick')} />
          ) : (
            <>
              <ErrorAlert error={version.error} />
              <Tabs
                items={[
                  {
                    key: 'edit',
                    label: t('templates.tab.edit'),
                    children: editorText !== null && (
                      <TemplateEditor
                        key={`${selection.key}@${selection.version}`}
                        initialText={editorText}
                        canSave={canSave}
                        onSaved={onSaved}
                      />
                    ),
                  },
                  ...(selection.key
                    ? [
                        {
                          key: 'preview',
                          label: t('templates.tab.preview'),
                          children: <VersionPreview templateKey={selection.key} version={selection.version} />,
                        },
                      ]
                    : []),
                ]}
              />
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}

function VersionPreview({ templateKey, version }: { templateKey: string; version: number }) {
  const t = useT();
  const [startsOn, setStartsOn] = useState<Dayjs>(() => dayjs().startOf('day'));
  const [kind, setKind] = useState('school');
  const preview = usePlanPreview(templateKey, version, startsOn.format('YYYY-MM-DD'), kind);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('templates.previewHint')}</Typography.Text>
      <Space>
        <DatePicker
          aria-label={t('startCycle.startsOn')}
          value={startsOn}
          onChange={(d) => d && setStartsOn(d)}
          allowClear={false}
        />
        <Select
          aria-label={t('startCycle.previewKind')}
          value={kind}
          onChange={setKind}
          style={{ width: 140 }}
          options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))}
        />
      </Space>
      <ErrorAlert error={preview.error} />
      {preview.data && <PlanTimeline plan={preview.data} />}
    </Space>
  );
}
