import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, DatePicker, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema';
import { fillIn, useI18n, type Translate } from '../../i18n/I18nProvider';
import type { Lang } from '../../i18n/messages';
import { dayjs } from '../../shared/time';
import type { TaskDetail } from '../../portal/tasks';
import { MarkdownField } from './MarkdownField';

type Deliverable = TaskDetail['deliverables'][number];
type DeliverableKind = components['schemas']['DeliverableEntryDto']['kind'];
type Path = (string | number)[];
/** A label in the console's two languages: a kind's own words live with its inputs, so a new kind is one entry below. */
type Words = Record<Lang, string>;

/** A calendar date kept as the api's `YYYY-MM-DD` string in the form. */
function DateItem({
  name,
  label,
  disabled,
  required,
}: {
  name: Path;
  label: string;
  disabled?: boolean;
  required?: boolean;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      required={required}
      getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
      normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
    >
      <DatePicker style={{ width: '100%' }} disabled={disabled} />
    </Form.Item>
  );
}

function NumberItem({
  name,
  label,
  disabled,
  min = 0,
  max,
  step,
  required,
}: {
  name: Path;
  label: string;
  disabled?: boolean;
  min?: number;
  max?: number;
  step?: number;
  required?: boolean;
}) {
  return (
    <Form.Item name={name} label={label} required={required}>
      <InputNumber style={{ width: '100%' }} min={min} max={max} step={step} disabled={disabled} inputMode="decimal" />
    </Form.Item>
  );
}

/** One column of an item table: on a phone the columns stack, on a desk they sit in one row. */
interface Column {
  key: string;
  label: string;
  span: number;
  date?: boolean;
}

/**
 * The editable table of a plan's or a commitment's items: one bordered row per item, add and remove. Rows may be
 * half filled in a draft; submitting needs every cell.
 */
function ItemsTable({
  name,
  columns,
  disabled,
  addLabel,
}: {
  name: Path;
  columns: Column[];
  disabled?: boolean;
  addLabel: string;
}) {
  const { t } = useI18n();
  return (
    <Form.List name={name}>
      {(rows, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          {rows.map((row, i) => (
            <div
              key={row.key}
              style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px 0' }}
              data-testid="item-row"
            >
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <Typography.Text strong>{t('task.items.no', { n: i + 1 })}</Typography.Text>
                {!disabled && (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(row.name)}
                    aria-label={t('task.items.remove', { n: i + 1 })}
                    style={{ minWidth: 44, minHeight: 44 }}
                  />
                )}
              </Space>
              <Row gutter={12}>
                {columns.map((c) => (
                  <Col key={c.key} xs={24} md={c.span}>
                    {c.date ? (
                      <DateItem name={[row.name, c.key]} label={c.label} disabled={disabled} />
                    ) : (
                      <Form.Item name={[row.name, c.key]} label={c.label}>
                        <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} disabled={disabled} maxLength={2000} />
                      </Form.Item>
                    )}
                  </Col>
                ))}
              </Row>
            </div>
          ))}
          {!disabled && (
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} style={{ minHeight: 44 }}>
              {addLabel}
            </Button>
          )}
        </Space>
      )}
    </Form.List>
  );
}

/** What a kind's inputs are drawn with. */
interface EditorContext {
  d: Deliverable;
  disabled?: boolean;
  t: Translate;
  /** The label in the current language; `{n}` placeholders filled from `vars`. */
  w: (words: Words, vars?: Record<string, string | number>) => string;
  /** The path of one of the deliverable's structured fields in the form. */
  f: (field: string) => Path;
  /** The deliverable's Markdown text (required where the api's kind requires it on submit). */
  text: (label: string, required: boolean) => ReactNode;
}

/**
 * The inputs of each deliverable kind: the same kinds and fields the api checks
 * (libs/domain/src/deliverables/deliverable-kinds.ts). Exhaustive: a kind the api adds (the generated schema) does
 * not compile until it has its inputs here.
 */
const EDITORS: Record<DeliverableKind, (c: EditorContext) => ReactNode> = {
  report: (c) => c.text(c.t('task.field.text'), true),
  free_form: (c) => c.text(c.t('task.field.text'), true),
  meeting_minutes: (c) => (
    <>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <DateItem
            name={c.f('meetingDate')}
            label={c.w({ zh: '会议日期', en: 'Meeting date' })}
            disabled={c.disabled}
            required
          />
        </Col>
        <Col xs={12} md={8}>
          <NumberItem
            name={c.f('attendees')}
            label={c.w({ zh: '出席人数', en: 'Attendees' })}
            disabled={c.disabled}
            min={1}
            required
          />
        </Col>
        <Col xs={12} md={8}>
          <NumberItem name={c.f('absentees')} label={c.w({ zh: '缺席人数', en: 'Absentees' })} disabled={c.disabled} />
        </Col>
      </Row>
      {c.text(c.w({ zh: '会议记录', en: 'Minutes' }), true)}
    </>
  ),
  plan_with_items: (c) => (
    <>
      <ItemsTable
        name={c.f('items')}
        disabled={c.disabled}
        addLabel={c.w({ zh: '添加整改项目', en: 'Add an item' })}
        columns={[
          { key: 'goal', label: c.t('task.item.goal'), span: 6 },
          { key: 'project', label: c.t('task.item.project'), span: 6 },
          { key: 'measures', label: c.t('task.item.measures'), span: 12 },
          { key: 'deadline', label: c.t('task.item.deadline'), span: 6, date: true },
          { key: 'responsible', label: c.t('task.item.responsible'), span: 6 },
        ]}
      />
      {c.text(c.w({ zh: '方案说明', en: 'Notes on the plan' }), false)}
    </>
  ),
  commitment: (c) => (
    <ItemsTable
      name={c.f('items')}
      disabled={c.disabled}
      addLabel={c.w({ zh: '添加承诺事项', en: 'Add a commitment' })}
      columns={[
        { key: 'goal', label: c.t('task.item.goal'), span: 8 },
        { key: 'measures', label: c.t('task.item.measures'), span: 10 },
        { key: 'deadline', label: c.t('task.item.deadline'), span: 6, date: true },
      ]}
    />
  ),
  attendance_hours: (c) => (
    <Row gutter={12}>
      <Col xs={12} md={6}>
        <NumberItem
          name={c.f('hours')}
          label={
            c.d.minHours
              ? c.w({ zh: '集中活动时间（小时，不少于{n}）', en: 'Activity hours (at least {n})' }, { n: c.d.minHours })
              : c.w({ zh: '集中活动时间（小时）', en: 'Activity hours' })
          }
          disabled={c.disabled}
          step={0.5}
          max={10_000}
          required
        />
      </Col>
      <Col xs={12} md={6}>
        <NumberItem
          name={c.f('members')}
          label={c.w({ zh: '参加党员人数', en: 'Members taking part' })}
          disabled={c.disabled}
        />
      </Col>
      <Col xs={12} md={6}>
        <DateItem name={c.f('from')} label={c.w({ zh: '起始日期', en: 'From' })} disabled={c.disabled} />
      </Col>
      <Col xs={12} md={6}>
        <DateItem name={c.f('to')} label={c.w({ zh: '截止日期', en: 'To' })} disabled={c.disabled} />
      </Col>
    </Row>
  ),
  evaluation: (c) => (
    <Row gutter={12}>
      <Col xs={12} md={8}>
        <NumberItem
          name={c.f('respondents')}
          label={c.w({ zh: '参评人数', en: 'Respondents' })}
          disabled={c.disabled}
          required
        />
      </Col>
      <Col xs={12} md={8}>
        <NumberItem
          name={c.f('satisfied')}
          label={c.w({ zh: '满意人数', en: 'Satisfied' })}
          disabled={c.disabled}
          required
        />
      </Col>
    </Row>
  ),
};

/** The inputs of one deliverable, by its kind, and its attachments. */
export function DeliverableEditor({
  deliverable: d,
  disabled,
  attachments,
}: {
  deliverable: Deliverable;
  disabled?: boolean;
  attachments: ReactNode;
}) {
  const { t, lang } = useI18n();
  const context: EditorContext = {
    d,
    disabled,
    t,
    w: (words, vars) => fillIn(words[lang], vars),
    f: (field) => [d.key, 'fields', field],
    text: (label, required) => (
      <Form.Item name={[d.key, 'text']} label={label} required={required}>
        <MarkdownField disabled={disabled} label={`${d.title} · ${label}`} />
      </Form.Item>
    ),
  };
  return (
    <>
      {EDITORS[d.kind](context)}
      <Form.Item label={t('task.field.attachments')}>{attachments}</Form.Item>
    </>
  );
}
