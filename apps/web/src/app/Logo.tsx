import { useI18n } from './i18n.tsx';

export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" fill="#c8322b" />
      <path d="M32 12 10 30h6v20h12V38h8v12h12V30h6z" fill="#fff" />
    </svg>
  );
}

export function Logo({ compact, inline }: { compact?: boolean; inline?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={inline ? 'jy-logo jy-logo-inline' : 'jy-logo'}>
      <LogoMark size={compact ? 26 : 32} />
      <div>
        <div className="jy-logo-name">
          家园 <span className="jy-logo-en">Jiayuan</span>
        </div>
        {!compact && <div className="jy-logo-sub">{t('app.subtitle')}</div>}
      </div>
    </div>
  );
}
