import { Segmented } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import type { Lang } from '../i18n/messages';

/** 中文 / English: the console's one language switch (the header, the sign-in page, public pages). */
export function LanguageSwitch({ short = false }: { short?: boolean }) {
  const { t, lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      aria-label={t('nav.language')}
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh' },
        { label: short ? 'EN' : 'English', value: 'en' },
      ]}
    />
  );
}
