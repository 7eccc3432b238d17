import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { projectPath } from '../project-root.js';

export const DEFAULT_LOCALES_DIR = projectPath('server', 'i18n', 'locales');

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Reads locales/<lang>/<namespace>.json into a fresh i18next instance (no shared global instance). */
export function createI18n(localesDir: string = DEFAULT_LOCALES_DIR): i18n {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lang of fs.readdirSync(localesDir)) {
    const dir = path.join(localesDir, lang);
    if (!fs.statSync(dir).isDirectory()) continue;
    resources[lang] = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'manifest.json')) {
      const ns = file.slice(0, -5);
      namespaces.add(ns);
      resources[lang][ns] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'vi',
    fallbackLng: 'vi',
    ns: [...namespaces],
    defaultNS: 'reply',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

export function translator(instance: i18n, lang: string, ns = 'reply'): Translate {
  const t: TFunction = instance.getFixedT(lang, ns);
  return (key, params) => String(t(key, params ?? {}));
}

/** Whether a key exists in this exact language (no fallback), e.g. to know if a sentence has a translation. */
export function hasOwnTranslation(instance: i18n, lang: string, key: string, ns = 'reply'): boolean {
  return instance.exists(key, { lng: lang, ns, fallbackLng: false });
}
