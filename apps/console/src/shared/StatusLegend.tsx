import { Space, Typography } from 'antd';
import { useT } from '../i18n/I18nProvider';
import { STEP_STATUS_COLORS, STEP_STATUS_ORDER, type StepDisplayStatus } from './status';

/** A row of colour swatches with their names: put it next to anything coloured by step status. */
export function StatusLegend({ statuses = STEP_STATUS_ORDER }: { statuses?: StepDisplayStatus[] }) {
  const t = useT();
  return (
    <Space size={12} wrap aria-label={t('status.legend')}>
      <Typography.Text type="secondary">{t('status.legend')}</Typography.Text>
      {statuses.map((s) => (
        <Space key={s} size={4}>
          <span
            style={{
              display: 'inline-block',
              width: 12,
              height: 12,
              borderRadius: 2,
              background: STEP_STATUS_COLORS[s],
            }}
          />
          <Typography.Text>{t(`stepStatus.${s}`)}</Typography.Text>
        </Space>
      ))}
    </Space>
  );
}
