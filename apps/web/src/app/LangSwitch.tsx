import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from './i18n.tsx';

/** Shows the language one would switch to: "English" while in Chinese, "中文" while in English. */
export function LangSwitch({ size }: { size?: 'small' | 'middle' | 'large' }) {
  const { lang, setLang } = useI18n();
  const toEnglish = lang === 'zh-CN';
  return (
    <Button
      size={size}
      icon={<GlobalOutlined />}
      onClick={() => setLang(toEnglish ? 'en' : 'zh-CN')}
      data-testid="lang-switch"
      lang={toEnglish ? 'en' : 'zh-CN'}
    >
      {toEnglish ? 'English' : '中文'}
    </Button>
  );
}
