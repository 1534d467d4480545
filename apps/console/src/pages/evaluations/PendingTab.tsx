import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/time';

type Pending = components['schemas']['EvaluationPendingDto'];
type UnitPending = components['schemas']['UnitPendingDto'];

/** Who has not answered yet, per unit, and the reminder buttons (office admins): e-mail and inbox through the notice channels. */
export function PendingTab({
  evaluationId,
  pending,
  loading,
}: {
  evaluationId: string;
  pending?: Pending;
  loading: boolean;
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const isAdmin = useSession().data?.roles.includes('office_admin') ?? false;
  const keys = useRef(new Map<string, string>());
  const remind = useMutation({
    mutationFn: (unitId: string | undefined) => {
      // one key per confirmed click target until it succeeds: a retry after a lost answer sends nothing twice
      const slot = unitId ?? 'all';
      if (!keys.current.has(slot)) keys.current.set(slot, crypto.randomUUID());
      return unwrap(
        api.POST('/api/evaluations/{id}/reminders', {
          params: { path: { id: evaluationId }, header: { 'Idempotency-Key': keys.current.get(slot)! } },
          body: unitId ? { unitId } : {},
        }),
      );
    },
    onSuccess: (r, unitId) => {
      keys.current.delete(unitId ?? 'all');
      message.success(t('evaluations.remind.done', { units: r.units, deliveries: r.deliveries }));
      void queryClient.invalidateQueries({ queryKey: ['evaluation-pending', evaluationId] });
    },
  });
  const rows = (pending?.units ?? []).filter((u) => u.unused > 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ErrorAlert error={remind.error} />
      {isAdmin && (
        <Popconfirm
          title={t('evaluations.remind.confirmAll')}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
          onConfirm={() => remind.mutate(undefined)}
          disabled={rows.length === 0}
        >
          <Button type="primary" icon={<BellOutlined />} loading={remind.isPending} disabled={rows.length === 0}>
            {t('evaluations.remindAll')}
          </Button>
        </Popconfirm>
      )}
      <Table<UnitPending>
        size="small"
        rowKey="unitId"
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: t('evaluations.allAnswered') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('evaluations.col.unit'), render: (_, u) => `${u.unitName}（${u.unitCode}）` },
          { title: t('evaluations.col.unused'), align: 'right', render: (_, u) => `${u.unused} / ${u.issued}` },
          {
            title: t('evaluations.col.recipients'),
            render: (_, u) =>
              u.recipients.length === 0 ? (
                <Typography.Text type="secondary">{t('evaluations.anonymousOnly')}</Typography.Text>
              ) : (
                <Space size={[4, 4]} wrap>
                  {u.recipients.map((r) => (
                    <Tag key={r.recipient} title={r.lastRemindedAt ? formatDateTime(r.lastRemindedAt) : undefined}>
                      {r.recipient}
                      {r.reminders > 0 && ` · ${t('evaluations.col.reminders', { n: r.reminders })}`}
                    </Tag>
                  ))}
                </Space>
              ),
          },
          ...(isAdmin
            ? [
                {
                  title: t('common.actions'),
                  key: 'remind',
                  render: (_: unknown, u: UnitPending) => (
                    <Popconfirm
                      title={t('evaluations.remind.confirmUnit', { unit: u.unitName })}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => remind.mutate(u.unitId)}
                    >
                      <Button size="small" icon={<BellOutlined />}>
                        {t('evaluations.remindUnit')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
