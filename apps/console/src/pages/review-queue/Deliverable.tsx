import { DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema';
import { useI18n, useT, type Translate } from '../../i18n/I18nProvider';
import type { Lang } from '../../i18n/messages';

type Deliverable = components['schemas']['QueueDeliverableDto'];
type DeliverableKind = Deliverable['kind'];
type Attachment = components['schemas']['QueueAttachmentDto'];
type Fields = Record<string, unknown>;
/** A label in the console's two languages: a kind's own words live with its rendering, so a new kind is one entry below. */
type Words = Record<Lang, string>;

const PREVIEW_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const attachmentUrl = (submissionId: string, a: Attachment, inline: boolean) =>
  `/api/submissions/${submissionId}/attachments/${a.id}${inline ? '?disposition=inline' : ''}`;

/** How the review queue shows one kind: its name, and its structured fields (none: text and attachments only). */
interface KindView {
  name: Words;
  fields?: (f: Fields, show: FieldShow) => ReactNode;
}

interface FieldShow {
  w: (words: Words) => string;
  /** The named fields that are present, as label/value pairs, plus `extra` pairs computed from them. */
  describe: (fields: [key: string, label: Words][], extra?: { label: string; value: string }[]) => ReactNode;
  /** The rows of `f.items`, numbered, in the given columns. */
  items: (columns: [key: string, label: Words][]) => ReactNode;
}

/** Columns of the item lists (a plan's rectification items, a commitment's staged goals). */
const ITEM = {
  goal: ['goal', { zh: '整改目标', en: 'Goal' }],
  project: ['project', { zh: '整改项目', en: 'Project' }],
  deadline: ['deadline', { zh: '完成时限', en: 'Deadline' }],
  measures: ['measures', { zh: '整改措施', en: 'Measures' }],
  responsible: ['responsible', { zh: '责任人/部门', en: 'Responsible' }],
} satisfies Record<string, [string, Words]>;

/**
 * Every deliverable kind as the reviewer reads it: the same kinds and fields the api checks
 * (libs/domain/src/deliverables/deliverable-kinds.ts). Exhaustive: a kind the api adds (the generated schema) does
 * not compile until it is shown here.
 */
const KIND_VIEWS: Record<DeliverableKind, KindView> = {
  report: { name: { zh: '报告', en: 'Report' } },
  meeting_minutes: {
    name: { zh: '会议记录', en: 'Minutes' },
    fields: (_f, s) =>
      s.describe([
        ['meetingDate', { zh: '会议日期', en: 'Meeting date' }],
        ['attendees', { zh: '出席人数', en: 'Attended' }],
        ['absentees', { zh: '缺席人数', en: 'Absent' }],
      ]),
  },
  plan_with_items: {
    name: { zh: '整改方案', en: 'Rectification plan' },
    fields: (_f, s) => s.items([ITEM.goal, ITEM.project, ITEM.deadline, ITEM.measures, ITEM.responsible]),
  },
  evaluation: {
    name: { zh: '测评结果', en: 'Evaluation figures' },
    fields: (f, s) => {
      const n = Number(f.respondents);
      const rate = n > 0 ? `${((Number(f.satisfied) / n) * 100).toFixed(1)}%` : '—';
      return s.describe(
        [
          ['respondents', { zh: '参评人数', en: 'Respondents' }],
          ['satisfied', { zh: '满意人数', en: 'Satisfied' }],
        ],
        [{ label: s.w({ zh: '满意率', en: 'Satisfaction' }), value: rate }],
      );
    },
  },
  attendance_hours: {
    name: { zh: '活动时长', en: 'Attendance hours' },
    fields: (_f, s) =>
      s.describe([
        ['hours', { zh: '活动时长（小时）', en: 'Hours' }],
        ['members', { zh: '参加党员人数', en: 'Members' }],
        ['from', { zh: '起始日期', en: 'From' }],
        ['to', { zh: '结束日期', en: 'To' }],
      ]),
  },
  commitment: {
    name: { zh: '公开承诺', en: 'Public commitment' },
    fields: (_f, s) => s.items([ITEM.goal, ITEM.measures, ITEM.deadline]),
  },
  free_form: { name: { zh: '其他材料', en: 'Other material' } },
};

/** One deliverable as submitted, readable by its kind: text, minutes, plan items, commitments, hours, figures. */
export function DeliverableView({ submissionId, d }: { submissionId: string; d: Deliverable }) {
  const { t, lang } = useI18n();
  const f = (d.fields ?? {}) as Fields;
  const view = KIND_VIEWS[d.kind];
  return (
    <Card
      size="small"
      title={
        <Space>
          <Typography.Text strong>{d.title}</Typography.Text>
          <Tag>{view.name[lang]}</Tag>
        </Space>
      }
    >
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        {view.fields?.(f, fieldShow(f, t, lang))}
        {d.text !== undefined && (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {d.text.trim() ? d.text : t('review.noText')}
          </Typography.Paragraph>
        )}
        {d.attachments.map((a) => (
          <AttachmentView key={a.id} submissionId={submissionId} a={a} />
        ))}
      </Space>
    </Card>
  );
}

function fieldShow(f: Fields, t: Translate, lang: Lang): FieldShow {
  return {
    w: (words) => words[lang],
    describe: (fields, extra = []) => (
      <Descriptions
        size="small"
        column={4}
        items={[
          ...fields
            .filter(([k]) => f[k] !== undefined)
            .map(([k, label]) => ({ key: k, label: label[lang], children: String(f[k]) })),
          ...extra.map((e) => ({ key: e.label, label: e.label, children: e.value })),
        ]}
      />
    ),
    items: (columns) => {
      const items = (Array.isArray(f.items) ? f.items : []) as Fields[];
      return (
        <Table<Fields & { no: number }>
          size="small"
          bordered
          pagination={false}
          rowKey="no"
          dataSource={items.map((it, i) => ({ ...it, no: i + 1 }))}
          columns={[
            { title: t('review.item.no'), dataIndex: 'no', width: 56 },
            ...columns.map(([key, label]) => ({
              title: label[lang],
              dataIndex: key,
              render: (v: unknown) => String(v ?? ''),
            })),
          ]}
        />
      );
    },
  };
}

/** PDFs and images inline (the api serves them with Content-Disposition inline); anything else as a download link. */
function AttachmentView({ submissionId, a }: { submissionId: string; a: Attachment }) {
  const t = useT();
  const size =
    a.sizeBytes >= 1024 * 1024 ? `${(a.sizeBytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(a.sizeBytes / 1024)} KB`;
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
        <iframe
          src={src}
          title={t('review.preview', { name: a.fileName })}
          style={{ width: '100%', height: 480, border: '1px solid #f0f0f0', marginTop: 4 }}
        />
      ) : (
        <img
          src={src}
          alt={t('review.preview', { name: a.fileName })}
          style={{ maxWidth: '100%', maxHeight: 480, display: 'block', marginTop: 4 }}
        />
      )}
    </div>
  );
}
