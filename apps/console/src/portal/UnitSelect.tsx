import { Select } from 'antd';
import { useT } from '../i18n/I18nProvider';
import type { PortalUnit } from './tasks';

/** A secretary picks one of the units they read (own unit first); hidden when there is only one. */
export function UnitSelect({ units, value, onChange }: { units: PortalUnit[]; value: string | undefined; onChange: (id: string) => void }) {
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
