import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, DatePicker, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { dayjs } from '../../shared/time';
import type { TaskDetail } from '../../portal/tasks';
import { MarkdownField } from './MarkdownField';

type Deliverable = TaskDetail['deliverables'][number];
type Path = (string | number)[];

/** A calendar date kept as the api's `YYYY-MM-DD` string in the form. */
function DateItem({ name, label, disabled, required }: { name: Path; label: string; disabled?: boolean; required?: boolean }) {
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

function NumberItem({ name, label, disabled, min = 0, max, step, required }: { name: Path; label: string; disabled?: boolean; min?: number; max?: number; step?: number; required?: boolean }) {
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
function ItemsTable({ name, columns, disabled, addLabel }: { name: Path; columns: Column[]; disabled?: boolean; addLabel: string }) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(rows, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          {rows.map((row, i) => (
            <div key={row.key} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px 0' }} data-testid="item-row">
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <Typography.Text strong>{t('task.items.no', { n: i + 1 })}</Typography.Text>
                {!disabled && <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(row.name)} aria-label={t('task.items.remove', { n: i + 1 })} style={{ minWidth: 44, minHeight: 44 }} />}
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

/** The inputs of one deliverable, by kind (the same kinds and fields the api checks: deliverable-fields.ts). */
export function DeliverableEditor({ deliverable: d, disabled, attachments }: { deliverable: Deliverable; disabled?: boolean; attachments: ReactNode }) {
  const t = useT();
  const f = (field: string): Path => [d.key, 'fields', field];
  const text = (label: string) => (
    <Form.Item name={[d.key, 'text']} label={label} required={d.kind !== 'plan_with_items' && d.kind !== 'commitment' && d.kind !== 'attendance_hours' && d.kind !== 'evaluation'}>
      <MarkdownField disabled={disabled} label={`${d.title} · ${label}`} />
    </Form.Item>
  );
  let body: ReactNode;
  switch (d.kind) {
    case 'report':
    case 'free_form':
      body = text(t('task.field.text'));
      break;
    case 'meeting_minutes':
      body = (
        <>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <DateItem name={f('meetingDate')} label={t('task.field.meetingDate')} disabled={disabled} required />
            </Col>
            <Col xs={12} md={8}>
              <NumberItem name={f('attendees')} label={t('task.field.attendees')} disabled={disabled} min={1} required />
            </Col>
            <Col xs={12} md={8}>
              <NumberItem name={f('absentees')} label={t('task.field.absentees')} disabled={disabled} />
            </Col>
          </Row>
          {text(t('task.field.minutes'))}
        </>
      );
      break;
    case 'plan_with_items':
      body = (
        <>
          <ItemsTable
            name={f('items')}
            disabled={disabled}
            addLabel={t('task.items.add')}
            columns={[
              { key: 'goal', label: t('task.item.goal'), span: 6 },
              { key: 'project', label: t('task.item.project'), span: 6 },
              { key: 'measures', label: t('task.item.measures'), span: 12 },
              { key: 'deadline', label: t('task.item.deadline'), span: 6, date: true },
              { key: 'responsible', label: t('task.item.responsible'), span: 6 },
            ]}
          />
          {text(t('task.field.planText'))}
        </>
      );
      break;
    case 'commitment':
      body = (
        <ItemsTable
          name={f('items')}
          disabled={disabled}
          addLabel={t('task.items.addCommitment')}
          columns={[
            { key: 'goal', label: t('task.item.goal'), span: 8 },
            { key: 'measures', label: t('task.item.measures'), span: 10 },
            { key: 'deadline', label: t('task.item.deadline'), span: 6, date: true },
          ]}
        />
      );
      break;
    case 'attendance_hours':
      body = (
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <NumberItem name={f('hours')} label={d.minHours ? t('task.field.hoursMin', { n: d.minHours }) : t('task.field.hours')} disabled={disabled} step={0.5} max={10_000} required />
          </Col>
          <Col xs={12} md={6}>
            <NumberItem name={f('members')} label={t('task.field.members')} disabled={disabled} />
          </Col>
          <Col xs={12} md={6}>
            <DateItem name={f('from')} label={t('task.field.from')} disabled={disabled} />
          </Col>
          <Col xs={12} md={6}>
            <DateItem name={f('to')} label={t('task.field.to')} disabled={disabled} />
          </Col>
        </Row>
      );
      break;
    case 'evaluation':
      body = (
        <Row gutter={12}>
          <Col xs={12} md={8}>
            <NumberItem name={f('respondents')} label={t('task.field.respondents')} disabled={disabled} required />
          </Col>
          <Col xs={12} md={8}>
            <NumberItem name={f('satisfied')} label={t('task.field.satisfied')} disabled={disabled} required />
          </Col>
        </Row>
      );
      break;
  }
  return (
    <>
      {body}
      <Form.Item label={t('task.field.attachments')}>{attachments}</Form.Item>
    </>
  );
}
