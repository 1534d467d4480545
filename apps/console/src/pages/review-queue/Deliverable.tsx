import { DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';

type Deliverable = components['schemas']['QueueDeliverableDto'];
type Attachment = components['schemas']['QueueAttachmentDto'];
type Fields = Record<string, unknown>;

const PREVIEW_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const attachmentUrl = (submissionId: string, a: Attachment, inline: boolean) =>
  `/api/submissions/${submissionId}/attachments/${a.id}${inline ? '?disposition=inline' : ''}`;

/** One deliverable as submitted, readable by its kind: text, minutes, plan items, commitments, hours, figures. */
export function DeliverableView({ submissionId, d }: { submissionId: string; d: Deliverable }) {
  const t = useT();
  const f = (d.fields ?? {}) as Fields;
  return (
    <Card
      size="small"
      title={
        <Space>
          <Typography.Text strong>{d.title}</Typography.Text>
          <Tag>{t(`review.kind.${d.kind}`)}</Tag>
        </Space>
      }
    >
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        <KindFields kind={d.kind} f={f} />
        {d.text !== undefined && (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{d.text.trim() ? d.text : t('review.noText')}</Typography.Paragraph>
        )}
        {d.attachments.map((a) => (
          <AttachmentView key={a.id} submissionId={submissionId} a={a} />
        ))}
      </Space>
    </Card>
  );
}

function KindFields({ kind, f }: { kind: string; f: Fields }) {
  const t = useT();
  const describe = (keys: string[], extra: { label: string; value: string }[] = []) => (
    <Descriptions
      size="small"
      column={4}
      items={[
        ...keys.filter((k) => f[k] !== undefined).map((k) => ({ key: k, label: t(`review.field.${k}`), children: String(f[k]) })),
        ...extra.map((e) => ({ key: e.label, label: e.label, children: e.value })),
      ]}
    />
  );
  if (kind === 'meeting_minutes') return describe(['meetingDate', 'attendees', 'absentees']);
  if (kind === 'attendance_hours') return describe(['hours', 'members', 'from', 'to']);
  if (kind === 'evaluation') {
    const n = Number(f.respondents);
    const rate = n > 0 ? `${((Number(f.satisfied) / n) * 100).toFixed(1)}%` : '—';
    return describe(['respondents', 'satisfied'], [{ label: t('review.field.rate'), value: rate }]);
  }
  if (kind === 'plan_with_items' || kind === 'commitment') {
    const items = (Array.isArray(f.items) ? f.items : []) as Fields[];
    const cols = kind === 'plan_with_items' ? ['goal', 'project', 'deadline', 'measures', 'responsible'] : ['goal', 'measures', 'deadline'];
    return (
      <Table<Fields & { no: number }>
        size="small"
        bordered
        pagination={false}
        rowKey="no"
        dataSource={items.map((it, i) => ({ ...it, no: i + 1 }))}
        columns={[{ title: t('review.item.no'), dataIndex: 'no', width: 56 }, ...cols.map((c) => ({ title: t(`review.item.${c}`), dataIndex: c, render: (v: unknown) => String(v ?? '') }))]}
      />
    );
  }
  return null;
}

/** PDFs and images inline (the api serves them with Content-Disposition inline); anything else as a download link. */
function AttachmentView({ submissionId, a }: { submissionId: string; a: Attachment }) {
  const t = useT();
  const size = a.sizeBytes >= 1024 * 1024 ? `${(a.sizeBytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(a.sizeBytes / 1024)} KB`;
  const link = (
    <Space>
      <PaperClipOutlined />
      <Typography.Text>{a.fileName}</Typography.Text>
      <Typography.Text type="secondary">{size}</Typography.Text>
      <a href={attachmentUrl(submissionId, a, false)} download={a.fileName}>
        <DownloadOutlined /> {t('review.download')}
      </a>
    </Space>
  );
  if (!PREVIEW_TYPES.has(a.mimeType)) return link;
  const src = attachmentUrl(submissionId, a, true);
  return (
    <div>
      {link}
      {a.mimeType === 'application/pdf' ? (
        <iframe src={src} title={t('review.preview', { name: a.fileName })} style={{ width: '100%', height: 480, border: '1px solid #f0f0f0', marginTop: 4 }} />
      ) : (
        <img src={src} alt={t('review.preview', { name: a.fileName })} style={{ maxWidth: '100%', maxHeight: 480, display: 'block', marginTop: 4 }} />
      )}
    </div>
  );
}
