import { ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Empty, Space, Switch, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatInstant, isEngineInternal, LINK_STYLE, unitKey } from './unit';

/** The timeline request, shared with the page header (which takes the Temporal Web UI's address from its links). */
export const timelineQuery = (cycleId: string, unit: string, detail: 'summary' | 'all') => ({
  queryKey: [...unitKey(cycleId, unit), 'timeline', detail],
  queryFn: () =>
    unwrap(
      api.GET('/api/cycles/{id}/units/{unit}/timeline', { params: { path: { id: cycleId, unit }, query: { detail } } }),
    ),
});

const SOURCE_COLOR = { 'read-model': 'blue', temporal: 'purple', api: 'red', delivery: 'green' } as const;

/**
 * The unit's story in order: the read model's plain-language history merged with its workflow's Temporal events
 * (the api merges them: GET …/timeline), each with time, actor and a link to its run in the Temporal Web UI.
 * Timers, activities and workflow tasks are folded away unless the switch asks for them.
 */
export function UnitTimeline({
  cycleId,
  unit,
  timeZone,
  refetchInterval,
}: {
  cycleId: string;
  unit: string;
  timeZone: string;
  refetchInterval: number;
}) {
  const { t, lang } = useI18n();
  const [engine, setEngine] = useState(false);
  const timeline = useQuery({ ...timelineQuery(cycleId, unit, engine ? 'all' : 'summary'), refetchInterval });
  const entries = timeline.data?.entries ?? [];
  const shown = engine ? entries : entries.filter((e) => !isEngineInternal(e));
  const hidden = entries.length - shown.length;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space size={16} wrap>
        <Space size={6}>
          <Switch id="engine-switch" size="small" checked={engine} onChange={setEngine} />
          <label htmlFor="engine-switch">{t('unit.timeline.engine')}</label>
        </Space>
        {!engine && hidden > 0 && (
          <Typography.Text type="secondary">{t('unit.timeline.hidden', { n: hidden })}</Typography.Text>
        )}
      </Space>
      <ErrorAlert error={timeline.error} />
      {timeline.data && !shown.length && <Empty description={t('unit.timeline.empty')} />}
      <Timeline
        data-testid="unit-timeline"
        items={shown.map((e, i) => ({
          key: `${e.source}-${e.runId ?? ''}-${e.eventId ?? e.seq ?? i}`,
          color: SOURCE_COLOR[e.source],
          children: (
            <div data-testid="timeline-entry" data-kind={e.kind} data-source={e.source}>
              <Space size={8} wrap>
                <Typography.Text
                  type="secondary"
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                  data-testid="timeline-at"
                >
                  {formatInstant(e.at, timeZone)}
                </Typography.Text>
                <Tag color={SOURCE_COLOR[e.source]} style={{ marginInlineEnd: 0 }}>
                  {t(`unit.timeline.source.${e.source}`)}
                </Tag>
                {e.actor && <Typography.Text type="secondary">{e.actor}</Typography.Text>}
                {e.link && (
                  <Typography.Link
                    href={e.link}
                    target="_blank"
                    rel="noreferrer"
                    style={{ ...LINK_STYLE, fontSize: 12 }}
                  >
                    <ExportOutlined aria-hidden /> {t('unit.timeline.temporal', { run: e.runNumber ?? 1 })}
                    {e.eventId != null ? ` #${e.eventId}` : ''}
                  </Typography.Link>
                )}
              </Space>
              <div data-testid="timeline-text">{lang === 'zh' ? e.zh : e.en}</div>
            </div>
          ),
        }))}
      />
    </Space>
  );
}
