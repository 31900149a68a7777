import { type JurisdictionLevel, type Language, levelLabels, type Role, roleLabels } from '@jiayuan/contracts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { dictionaries, type MessageKey } from './messages.ts';

export type { MessageKey };
export type Vars = Record<string, string | number>;

const STORAGE_KEY = 'jy.lang';
export const DEFAULT_LANG: Language = 'zh-CN';

const isLanguage = (v: unknown): v is Language => v === 'zh-CN' || v === 'en';

const readStoredLang = (): Language => {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
};

/** The language outside React (the API client sends it as Accept-Language). */
let currentLang: Language = typeof window === 'undefined' ? DEFAULT_LANG : readStoredLang();
export const getLang = (): Language => currentLang;

const applyLang = (lang: Language) => {
  currentLang = lang;
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
};

export const format = (lang: Language, key: MessageKey, vars?: Vars): string => {
  const template: string = dictionaries[lang][key] ?? dictionaries['zh-CN'][key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
};

type I18n = {
  lang: Language;
  setLang: (lang: Language) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** zh label when Chinese, en label when English. */
  pick: (label: { zh: string; en: string }) => string;
  roleLabel: (role: string) => string;
  levelLabel: (level: string) => string;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(() => {
    const initial = readStoredLang();
    applyLang(initial);
    return initial;
  });

  const setLang = useCallback((next: Language) => {
    applyLang(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage may be unavailable (private mode): the choice then lasts for this page only
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const pick = (label: { zh: string; en: string }) => (lang === 'zh-CN' ? label.zh : label.en);
    return {
      lang,
      setLang,
      t: (key, vars) => format(lang, key, vars),
      pick,
      roleLabel: (role) => {
        const label = roleLabels[role as Role];
        return label ? pick(label) : role;
      },
      levelLabel: (level) => {
        const label = levelLabels[level as JurisdictionLevel];
        return label ? pick(label) : level;
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
