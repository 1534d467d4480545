import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { commonMessages, type Lang, type Messages } from './messages';

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** `{name}` placeholders of a message filled from `vars` (an unknown name stays as written). */
export const fillIn = (text: string, vars?: Record<string, string | number>) =>
  vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);
const LANG_KEY = 'campaigns-console-lang'; // only the language choice is kept in the browser, never a token

function initialLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
}

/** `extra`: every page's own messages (see app/pages.ts), merged over the common ones. Missing keys show the key. */
export function I18nProvider({ extra, children }: { extra: Record<Lang, Messages>; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const dictionary = useMemo(() => ({ ...commonMessages[lang], ...extra[lang] }), [lang, extra]);
  const t = useCallback<Translate>(
    (key, vars) => {
      return fillIn(dictionary[key] ?? key, vars);
    },
    [dictionary],
  );
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** The translate function of the current language: `const t = useT(); t('campaigns.title')`. */
export const useT = (): Translate => useI18n().t;
