import { Space, Timeline, Typography } from 'antd';
import type { components } from '../api/schema';
import { useT } from '../i18n/I18nProvider';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../shared/time';

type Version = components['schemas']['VersionSummaryDto'];

/** Every submitted version with its decision, times and the reviewer's comment (newest first when asked). */
export function VersionTimeline({
  versions,
  timeZone = DEFAULT_TIME_ZONE,
  newestFirst = false,
}: {
  versions: Version[];
  timeZone?: string;
  newestFirst?: boolean;
}) {
  const t = useT();
  const ordered = newestFirst ? [...versions].reverse() : versions;
  return (
    <Timeline
      items={ordered.map((v) => ({
        color: v.decision === 'accepted' ? 'green' : v.decision === 'returned' ? 'orange' : 'blue',
        content: (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>
              {t('portal.version', { n: v.version })} · {t(`portal.decision.${v.decision ?? 'pending'}`)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('portal.submittedAt', { at: formatDateTime(v.submittedAt, timeZone) })}
              {v.decidedAt ? ` · ${t('portal.decidedAt', { at: formatDateTime(v.decidedAt, timeZone) })}` : ''}
            </Typography.Text>
            {v.reviewComment && <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{v.reviewComment}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  );
}
