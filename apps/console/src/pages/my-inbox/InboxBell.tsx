import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/I18nProvider';
import { useOwnUnit } from '../../portal/tasks';
import { useUnread } from './inbox';

/** The header's bell: the unit's unread notices; opens the inbox. */
export function InboxBell() {
  const t = useT();
  const navigate = useNavigate();
  const unit = useOwnUnit();
  const unread = useUnread(unit?.code).data?.unread ?? 0;
  if (!unit) return null;
  return (
    <Badge count={unread} size="small" offset={[-6, 6]}>
      <Button
        type="text"
        icon={<BellOutlined />}
        aria-label={t('portal.inbox.unread', { n: unread })}
        onClick={() => navigate('/my/inbox')}
        style={{ minWidth: 44, minHeight: 44 }}
        data-testid="inbox-bell"
      />
    </Badge>
  );
}
