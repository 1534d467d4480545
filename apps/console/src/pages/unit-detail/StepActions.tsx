import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { dayjs, formatDateTime } from '../../shared/time';
import { isLive, unitKey, type UnitStep } from './unit';

type Action = 'extend' | 'waive' | 'review';
export interface ReviewTarget {
  submissionId: string;
  version: number;
}

/**
 * Extend, waive and review one step, each behind a confirmation naming the unit and step (the existing steering and
 * review endpoints; the api refuses what the workflow refuses, shown as it says). Review goes through the stored
 * submission when there is one; otherwise an office admin drives the workflow directly (a paper submission).
 */
export function StepActions({
  cycleId,
  unit,
  unitName,
  step,
  timeZone,
  review,
}: {
  cycleId: string;
  unit: string;
  unitName: string;
  step: UnitStep;
  timeZone: string;
  review?: ReviewTarget;
}) {
  const t = useT();
  const roles = useSession().data?.roles ?? [];
  const [open, setOpen] = useState<Action | null>(null);
  const office = roles.includes('office_admin') || roles.includes('office_reviewer');
  const canReview = step.status === 'submitted' && (review ? office : roles.includes('office_admin'));
  const actions: Action[] = [
    ...(office && isLive(step) ? (['extend'] as const) : []),
    ...(office && isLive(step) && step.required ? (['waive'] as const) : []),
    ...(canReview ? (['review'] as const) : []),
  ];
  if (!actions.length) return null;
  return (
    <>
      <Space size={4}>
        {actions.map((a) => (
          <Button
            key={a}
            size="small"
            autoInsertSpace={false}
            type={a === 'review' ? 'primary' : 'default'}
            onClick={() => setOpen(a)}
            aria-label={`${t(`unit.action.${a}`)}：${step.title}`}
          >
            {t(`unit.action.${a}`)}
          </Button>
        ))}
      </Space>
      {open && (
        <ConfirmAction
          action={open}
          cycleId={cycleId}
          unit={unit}
          unitName={unitName}
          step={step}
          timeZone={timeZone}
          review={review}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}

interface Values {
  newDueAt?: Dayjs;
  reason?: string;
  decision?: 'accept' | 'return';
  comment?: string;
}

function ConfirmAction({
  action,
  cycleId,
  unit,
  unitName,
  step,
  timeZone,
  review,
  onClose,
}: {
  action: Action;
  cycleId: string;
  unit: string;
  unitName: string;
  step: UnitStep;
  timeZone: string;
  review?: ReviewTarget;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);
  const path = { id: cycleId, unit };
  // One key per confirmation dialog: a repeated click reviews once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const run = useMutation({
    mutationFn: async (v: Values) => {
      if (action === 'extend') {
        // The picked wall-clock time is the campaign's time zone's, not the browser's.
        const newDueAt = dayjs.tz(v.newDueAt!.format('YYYY-MM-DDTHH:mm:ss'), timeZone).format();
        return unwrap(
          api.POST('/api/cycles/{id}/units/{unit}/extend', {
            params: { path },
            body: { stepKey: step.stepKey, newDueAt, reason: v.reason!.trim() },
          }),
        );
      }
      if (action === 'waive')
        return unwrap(
          api.POST('/api/cycles/{id}/units/{unit}/waive', {
            params: { path },
            body: { stepKey: step.stepKey, reason: v.reason!.trim() },
          }),
        );
      const body = { decision: v.decision!, comment: v.comment?.trim() || undefined };
      if (review)
        return unwrap(
          api.POST('/api/submissions/{id}/versions/{version}/review', {
            params: {
              path: { id: review.submissionId, version: review.version },
              header: { 'Idempotency-Key': idempotencyKey },
            },
            body,
          }),
        );
      return unwrap(
        api.POST('/api/cycles/{id}/units/{unit}/steps/{stepKey}/review', {
          params: { path: { ...path, stepKey: step.stepKey } },
          body,
        }),
      );
    },
    onSuccess: () => {
      message.success(t(`unit.done.${action}`));
      void queryClient.invalidateQueries({ queryKey: ['unit-detail', cycleId] });
      void queryClient.invalidateQueries({ queryKey: unitKey(cycleId, unit) });
      onClose();
    },
  });
  const required = [{ required: true, whitespace: true, message: t('unit.required') }];
  return (
    <Modal
      open
      title={`${t(`unit.action.${action}`)} · ${step.title}`}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: run.isPending, danger: action === 'waive' }}
      onCancel={onClose}
      // A failed validation shows at its field; its rejection is not an error.
      onOk={() =>
        form.validateFields().then(
          (v) => run.mutate(v),
          () => undefined,
        )
      }
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t(`unit.confirm.${action}`, { unit: unitName, step: step.title, due: formatDateTime(step.dueAt, timeZone) })}
      </Typography.Paragraph>
      <ErrorAlert error={run.error} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: 'accept', newDueAt: dayjs(step.dueAt).tz(timeZone).add(7, 'day') }}
      >
        {action === 'extend' && (
          <Form.Item
            name="newDueAt"
            label={t('unit.newDueAt', { zone: timeZone })}
            rules={[{ required: true, message: t('unit.required') }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY年M月D日 HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {(action === 'extend' || action === 'waive') && (
          <Form.Item name="reason" label={t('common.reason')} rules={required}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {action === 'review' && (
          <>
            <Form.Item name="decision" label={t('unit.decision')}>
              <Radio.Group
                options={[
                  { value: 'accept', label: t('unit.decision.accept') },
                  { value: 'return', label: t('unit.decision.return') },
                ]}
              />
            </Form.Item>
            <Form.Item name="comment" label={t('unit.comment')} rules={decision === 'return' ? required : []}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
