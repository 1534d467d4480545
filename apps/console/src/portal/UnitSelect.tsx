import { Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { useTasks, type PortalUnit } from './tasks';

/** A secretary picks one of the units they read (own unit first); hidden when there is only one. */
export function UnitSelect({
  units,
  value,
  onChange,
}: {
  units: PortalUnit[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const t = useT();
  if (units.length < 2) return null;
  return (
    <Select
      aria-label={t('portal.unit')}
      value={value}
      onChange={onChange}
      style={{ minWidth: 200, maxWidth: '100%' }}
      options={units.map((u) => ({ value: u.id, label: u.own ? `${u.name}（${t('portal.ownUnit')}）` : u.name }))}
    />
  );
}

/** The unit a unit page shows: the account's own unless a secretary picked one of the units below. */
export function usePickedUnit() {
  const tasks = useTasks('all');
  const units = tasks.data?.units ?? [];
  const [picked, setPicked] = useState<string>();
  const unit = units.find((u) => u.id === picked) ?? units.find((u) => u.own);
  return { tasks, units, unit, setPicked };
}

/** A unit page's title with the unit picker beside it (wrapping under it on a phone). */
export function UnitPageHeading({ title, picker }: { title: string; picker: ReturnType<typeof usePickedUnit> }) {
  return (
    <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {title}
      </Typography.Title>
      <UnitSelect units={picker.units} value={picker.unit?.id} onChange={picker.setPicked} />
    </Space>
  );
}
