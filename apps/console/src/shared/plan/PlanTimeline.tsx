import { Space, Table, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { dayjs, formatDateTime, formatDayShort, localDate } from '../time';
import { useSpecialDays, type PreviewPlan } from './plan';

const DAY = 86_400_000;
const LABEL_WIDTH = 220;
const COLORS = {
  stage: '#bae0ff',
  step: '#1d5bd8',
  reminder: '#faad14',
  due: '#cf1322',
  escalation: '#a8071a',
  holiday: 'rgba(245, 34, 45, 0.10)',
  makeup: 'rgba(22, 119, 255, 0.14)',
};

/**
 * A Gantt-like strip of a resolved plan: one band per stage (its window), one bar per step (opens → due) with its
 * reminders (◆ before due) and escalation rungs (▲ after due); holidays shaded red, 调休 workdays blue. Dates in the
 * plan's time zone. Below it, the same dates as a table (readable by screen readers and for exact times).
 */
export function PlanTimeline({ plan }: { plan: PreviewPlan }) {
  const t = useT();
  const tz = plan.timeZone;
  const { start, end, months } = useMemo(() => {
    const instants = plan.stages
      .flatMap((s) => [
        s.opensAt,
        s.closesAt,
        ...s.steps.flatMap((st) => [
          st.opensAt,
          st.dueAt,
          ...st.escalation.map((e) => new Date(Date.parse(st.dueAt) + e.afterMs).toISOString()),
        ]),
      ])
      .map(Date.parse);
    const s0 = dayjs(Math.min(...instants))
      .tz(tz)
      .startOf('day');
    const e0 = dayjs(Math.max(...instants))
      .tz(tz)
      .endOf('day');
    const ms: { label: string; at: number }[] = [];
    for (let m = s0.startOf('month'); m.isBefore(e0); m = m.add(1, 'month'))
      ms.push({ label: m.format('YYYY年M月'), at: Math.max(m.valueOf(), s0.valueOf()) });
    // Labels need room: a partial first month too close to the next is dropped, and none starts at the far right edge.
    const span = e0.valueOf() - s0.valueOf();
    if (ms.length > 1 && (ms[1].at - ms[0].at) / span < 0.08) ms.shift();
    return { start: s0.valueOf(), end: e0.valueOf(), months: ms.filter((m) => (m.at - s0.valueOf()) / span < 0.92) };
  }, [plan, tz]);
  const special = useSpecialDays(localDate(start, tz), localDate(end, tz));
  const x = (instant: string | number) =>
    `${(100 * (Number(typeof instant === 'string' ? Date.parse(instant) : instant) - start)) / (end - start)}%`;
  const width = (a: string, b: string) => `${Math.max(0.3, (100 * (Date.parse(b) - Date.parse(a))) / (end - start))}%`;
  const dayWidth = `${Math.max(0.15, (100 * DAY) / (end - start))}%`;

  const rows = plan.stages.flatMap((stage) => [
    { kind: 'stage' as const, stage },
    ...stage.steps.map((step) => ({ kind: 'step' as const, stage, step })),
  ]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8}>
      <div style={{ display: 'flex', fontSize: 12 }} aria-hidden>
        <div style={{ width: LABEL_WIDTH, flex: 'none' }} />
        <div
          style={{ position: 'relative', flex: 1, height: 18, borderBottom: '1px solid #d9d9d9', overflow: 'hidden' }}
        >
          {months.map((m) => (
            <span
              key={m.label}
              style={{
                position: 'absolute',
                left: x(m.at),
                paddingLeft: 2,
                borderLeft: '1px solid #d9d9d9',
                whiteSpace: 'nowrap',
                color: 'rgba(0,0,0,0.65)',
              }}
            >
              {m.label}
            </span>
          ))}
        </div>
      </div>
      <div style={{ position: 'relative' }} data-testid="plan-timeline">
        {/* Holidays and 调休 workdays behind every row. */}
        <div style={{ position: 'absolute', left: LABEL_WIDTH, right: 0, top: 0, bottom: 0 }}>
          {(special.data ?? []).map((d) => (
            <Tooltip
              key={d.date}
              title={`${d.date} ${d.name}${d.kind === 'holiday' ? t('plan.holiday') : t('plan.makeupWorkday')}`}
            >
              <div
                data-special-day={d.kind}
                data-date={d.date}
                style={{
                  position: 'absolute',
                  top: 0,
                  bottom: 0,
                  left: x(dayjs.tz(d.date, tz).valueOf()),
                  width: dayWidth,
                  background: d.kind === 'holiday' ? COLORS.holiday : COLORS.makeup,
                }}
              />
            </Tooltip>
          ))}
        </div>
        {rows.map((r) =>
          r.kind === 'stage' ? (
            <div
              key={`s-${r.stage.key}`}
              style={{ display: 'flex', alignItems: 'center', height: 26, position: 'relative' }}
            >
              <div
                style={{
                  width: LABEL_WIDTH,
                  flex: 'none',
                  fontWeight: 600,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                }}
              >
                {r.stage.title}
              </div>
              <div style={{ position: 'relative', flex: 1, height: 14 }}>
                <div
                  style={{
                    position: 'absolute',
                    left: x(r.stage.opensAt),
                    width: width(r.stage.opensAt, r.stage.closesAt),
                    height: 14,
                    background: COLORS.stage,
                    borderRadius: 3,
                  }}
                />
              </div>
            </div>
          ) : (
            <div
              key={`t-${r.step.key}`}
              style={{ display: 'flex', alignItems: 'center', height: 24, position: 'relative' }}
            >
              <div
                style={{
                  width: LABEL_WIDTH,
                  flex: 'none',
                  paddingLeft: 12,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                  fontSize: 13,
                }}
              >
                {r.step.title}
              </div>
              <div style={{ position: 'relative', flex: 1, height: 16 }}>
                <Tooltip
                  title={`${r.step.title}: ${formatDateTime(r.step.opensAt, tz)} → ${formatDateTime(r.step.dueAt, tz)}`}
                >
                  <div
                    style={{
                      position: 'absolute',
                      top: 5,
                      left: x(r.step.opensAt),
                      width: width(r.step.opensAt, r.step.dueAt),
                      height: 6,
                      background: COLORS.step,
                      borderRadius: 3,
                    }}
                  />
                </Tooltip>
                {r.step.reminderOffsetsMs.map((off) => (
                  <Marker
                    key={`r${off}`}
                    left={x(Date.parse(r.step.dueAt) - off)}
                    color={COLORS.reminder}
                    shape="◆"
                    title={`${t('plan.reminder')} ${formatDateTime(Date.parse(r.step.dueAt) - off, tz)}`}
                  />
                ))}
                <Marker
                  left={x(r.step.dueAt)}
                  color={COLORS.due}
                  shape="●"
                  title={`${t('plan.due')} ${formatDateTime(r.step.dueAt, tz)}`}
                />
                {r.step.escalation
                  .filter((e) => e.afterMs > 0)
                  .map((e) => (
                    <Marker
                      key={`e${e.afterMs}`}
                      left={x(Date.parse(r.step.dueAt) + e.afterMs)}
                      color={COLORS.escalation}
                      shape="▲"
                      title={`${t('plan.escalation')} → ${t(`plan.to.${e.to}`)} ${formatDateTime(Date.parse(r.step.dueAt) + e.afterMs, tz)}`}
                    />
                  ))}
              </div>
            </div>
          ),
        )}
      </div>
      <Space size={16} wrap style={{ fontSize: 12 }}>
        <LegendSwatch color={COLORS.stage} label={t('plan.stageWindow')} />
        <LegendSwatch color={COLORS.step} label={t('plan.stepWindow')} />
        <span>
          <span style={{ color: COLORS.reminder }}>◆</span> {t('plan.reminder')}
        </span>
        <span>
          <span style={{ color: COLORS.due }}>●</span> {t('plan.due')}
        </span>
        <span>
          <span style={{ color: COLORS.escalation }}>▲</span> {t('plan.escalation')}
        </span>
        <LegendSwatch color={COLORS.holiday} label={t('plan.holiday')} />
        <LegendSwatch color={COLORS.makeup} label={t('plan.makeupWorkday')} />
      </Space>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        aria-label={t('plan.table')}
        dataSource={plan.stages.flatMap((s) => s.steps.map((st) => ({ ...st, stageTitle: s.title })))}
        columns={[
          { title: t('plan.col.stage'), dataIndex: 'stageTitle' },
          { title: t('plan.col.step'), dataIndex: 'title' },
          { title: t('plan.col.opens'), render: (_, st) => formatDateTime(st.opensAt, tz) },
          {
            title: t('plan.col.due'),
            render: (_, st) => <span title={formatDayShort(st.dueAt, tz)}>{formatDateTime(st.dueAt, tz)}</span>,
          },
          {
            title: t('plan.col.reminders'),
            render: (_, st) =>
              st.reminderOffsetsMs.map((o) => formatDayShort(Date.parse(st.dueAt) - o, tz)).join('、') || '—',
          },
          {
            title: t('plan.col.escalation'),
            render: (_, st) =>
              st.escalation
                .map((e) => `${formatDayShort(Date.parse(st.dueAt) + e.afterMs, tz)}→${t(`plan.to.${e.to}`)}`)
                .join('、') || '—',
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('plan.zone', { tz })}
      </Typography.Text>
    </Space>
  );
}

function Marker({ left, color, shape, title }: { left: string; color: string; shape: string; title: string }) {
  return (
    <Tooltip title={title}>
      <span
        style={{
          position: 'absolute',
          left,
          top: -1,
          transform: 'translateX(-50%)',
          color,
          fontSize: 11,
          lineHeight: '16px',
          cursor: 'default',
        }}
      >
        {shape}
      </span>
    </Tooltip>
  );
}

function LegendSwatch({ color, label }: { color: string; label: string }) {
  return (
    <span>
      <span
        style={{
          display: 'inline-block',
          width: 14,
          height: 10,
          background: color,
          border: '1px solid #d9d9d9',
          verticalAlign: 'middle',
        }}
      />{' '}
      {label}
    </span>
  );
}
