import { Input, Tabs, Typography } from 'antd';
import { useId } from 'react';
import { useT } from '../../i18n/I18nProvider';

/**
 * Markdown text: a plain textarea and a preview tab. The preview shows the text as written (line breaks kept):
 * no Markdown renderer is installed in the console yet (see docs/PORTAL.md).
 */
export function MarkdownField({
  value,
  onChange,
  disabled,
  label,
  id,
}: {
  value?: string;
  onChange?: (v: string) => void;
  disabled?: boolean;
  label: string;
  id?: string;
}) {
  const t = useT();
  const ownId = useId();
  return (
    <Tabs
      size="small"
      items={[
        {
          key: 'edit',
          label: t('task.md.edit'),
          children: (
            <Input.TextArea
              id={id ?? ownId}
              aria-label={id ? undefined : label /* inside a Form.Item its <label for> names it */}
              value={value}
              disabled={disabled}
              onChange={(e) => onChange?.(e.target.value)}
              autoSize={{ minRows: 5, maxRows: 18 }}
              maxLength={200_000}
              placeholder={t('task.md.placeholder')}
            />
          ),
        },
        {
          key: 'preview',
          label: t('task.md.preview'),
          children: (
            <Typography.Paragraph
              style={{
                whiteSpace: 'pre-wrap',
                minHeight: 120,
                border: '1px solid #f0f0f0',
                borderRadius: 6,
                padding: 12,
                marginBottom: 0,
              }}
            >
              {value?.trim() ? value : <Typography.Text type="secondary">{t('task.md.empty')}</Typography.Text>}
            </Typography.Paragraph>
          ),
        },
      ]}
    />
  );
}
