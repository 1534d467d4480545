import { Alert } from 'antd';
import { ApiError } from '../api/errors';
import { useT } from '../i18n/I18nProvider';

/**
 * Shows what went wrong as the api said it (its 4xx message and every { field, problem } detail), or a plain
 * network message. Nothing for `error == null`.
 */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const t = useT();
  if (error == null) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError
    ? apiError.message
    : error instanceof TypeError
      ? t('error.network')
      : error instanceof Error
        ? error.message
        : String(error);
  const details = apiError?.details ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={style}
      title={apiError?.status === 403 ? `${t('error.forbidden')}: ${message}` : message}
      description={
        details.length > 0 ? (
          <ul style={{ margin: 0, paddingLeft: 20, maxHeight: 240, overflow: 'auto' }}>
            {details.map((d, i) => (
              <li key={i}>{d.field ? `${d.field}: ${d.problem ?? ''}` : JSON.stringify(d)}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
