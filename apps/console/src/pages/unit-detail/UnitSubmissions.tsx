import { useQueries } from '@tanstack/react-query';
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { formatInstant } from './unit';

type Submission = components['schemas']['SubmissionViewDto'];
type Version = components['schemas']['VersionSummaryDto'];
const DECISION_COLOR = { accepted: 'green', returned: 'orange' } as const;

/** Every stored submission of the unit with its versions and each version's review (who, when, comment). */
export function UnitSubmissions({
  ids,
  timeZone,
  stepTitle,
}: {
  ids: string[];
  timeZone: string;
  stepTitle: (key: string) => string;
}) {
  const t = useT();
  const subs = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['submission', id],
      queryFn: () => unwrap(api.GET('/api/submissions/{id}', { params: { path: { id } } })),
    })),
  });
  const loaded = subs.map((q) => q.data).filter((s): s is Submission => !!s);
  if (!ids.length) return <Empty description={t('unit.submissions.empty')} />;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {loaded.map((s) => (
        <Card
          key={s.id}
          size="small"
          title={`${stepTitle(s.stepKey)} · ${t(`unit.submission.${s.status}`)}`}
          extra={
            <Typography.Text type="secondary">
              {t('unit.submissions.attachments', { n: s.attachments.length })}
            </Typography.Text>
          }
        >
          <Table<Version>
            rowKey="version"
            size="small"
            pagination={false}
            dataSource={s.versions}
            locale={{ emptyText: t('unit.submissions.draftOnly') }}
            columns={[
              { title: t('unit.submissions.version'), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
              { title: t('unit.submissions.by'), dataIndex: 'submittedBy' },
              { title: t('unit.submissions.at'), render: (_, v) => formatInstant(v.submittedAt, timeZone) },
              {
                title: t('unit.submissions.decision'),
                render: (_, v) =>
                  v.decision ? (
                    <Tag color={DECISION_COLOR[v.decision]}>{t(`unit.submission.${v.decision}`)}</Tag>
                  ) : (
                    <Tag>{t('unit.submissions.waiting')}</Tag>
                  ),
              },
              {
                title: t('unit.submissions.reviewer'),
                render: (_, v) => (v.decidedBy ? `${v.decidedBy} · ${formatInstant(v.decidedAt, timeZone)}` : '—'),
              },
              { title: t('unit.comment'), dataIndex: 'reviewComment', render: (c: string | null) => c ?? '—' },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}
