import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { CYCLES_KEY, type Cycle } from './cycles';

type Control = 'pause' | 'resume' | 'cancel';
const ALLOWED: Record<Control, Cycle['status'][]> = {
  pause: ['running'],
  resume: ['paused'],
  cancel: ['running', 'paused', 'starting'],
};

/** Pause / resume / cancel, each behind a confirmation that asks for the reason (kept in the audit log and history). */
export function ControlButtons({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const [open, setOpen] = useState<Control | null>(null);
  const controls = (Object.keys(ALLOWED) as Control[]).filter((c) => ALLOWED[c].includes(cycle.status));
  return (
    <>
      <Space size={4}>
        {controls.map((c) => (
          <Button key={c} size="small" danger={c === 'cancel'} onClick={() => setOpen(c)}>
            {t(`campaigns.${c}`)}
          </Button>
        ))}
      </Space>
      {open && <ConfirmControl cycle={cycle} control={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ConfirmControl({ cycle, control, onClose }: { cycle: Cycle; control: Control; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const run = useMutation({
    mutationFn: (reason: string) => {
      const args = { params: { path: { id: cycle.id } }, body: { reason } };
      const call =
        control === 'pause'
          ? api.POST('/api/cycles/{id}/pause', args)
          : control === 'resume'
            ? api.POST('/api/cycles/{id}/resume', args)
            : api.POST('/api/cycles/{id}/cancel', args);
      return unwrap(call);
    },
    onSuccess: () => {
      message.success(t(`campaigns.done.${control}`));
      void queryClient.invalidateQueries({ queryKey: CYCLES_KEY });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t(`campaigns.${control}`)}
      okText={t(`campaigns.${control}`)}
      okButtonProps={{ danger: control === 'cancel', loading: run.isPending }}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      // validateFields rejects while the reason is missing: the form already shows why, nothing more to do.
      onOk={() =>
        form.validateFields().then(
          (v) => run.mutate(v.reason.trim()),
          () => undefined,
        )
      }
      destroyOnHidden
    >
      <Typography.Paragraph>{t(`campaigns.confirm.${control}`, { name: cycle.name })}</Typography.Paragraph>
      <ErrorAlert error={run.error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('campaigns.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('campaigns.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
