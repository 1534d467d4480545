import { Segmented } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import type { Lang } from '../i18n/messages';

/** 中文 / English: the console's language (zh-CN by default), kept in localStorage — the only thing the console keeps. */
export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      aria-label={t('nav.language')}
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
