import { Space, Typography } from 'antd';
import { useT } from '../../i18n/I18nProvider';

const KEYS: [string[], string][] = [
  [['J', '↓'], 'review.key.next'],
  [['K', '↑'], 'review.key.prev'],
  [['A'], 'review.key.accept'],
  [['R'], 'review.key.return'],
  [['Ctrl', 'Enter'], 'review.key.send'],
  [['Esc'], 'review.key.leave'],
];

/** The keys, always on screen. */
export function ShortcutHelp() {
  const t = useT();
  return (
    <Space wrap size={16}>
      <Typography.Text type="secondary">{t('review.keys')}</Typography.Text>
      {KEYS.map(([keys, label]) => (
        <Typography.Text key={label}>
          {keys.map((k, i) => (
            <span key={k}>
              {i > 0 && (k === 'Enter' ? ' + ' : ' / ')}
              <Typography.Text keyboard>{k}</Typography.Text>
            </span>
          ))}{' '}
          {t(label)}
        </Typography.Text>
      ))}
    </Space>
  );
}
