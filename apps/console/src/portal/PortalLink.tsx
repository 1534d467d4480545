import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** A router link in the theme's link colour (a bare <a> keeps the browser's), sized for a finger. */
export function PortalLink({
  to,
  children,
  style,
  testId,
}: {
  to: string;
  children: ReactNode;
  style?: CSSProperties;
  testId?: string;
}) {
  const { token } = theme.useToken();
  return (
    <Link
      to={to}
      data-testid={testId}
      style={{ color: token.colorLink, display: 'inline-flex', alignItems: 'center', gap: 6, minHeight: 44, ...style }}
    >
      {children}
    </Link>
  );
}
