import type { TJurisdictionNode } from '@jiayuan/contracts';
import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../app/i18n.tsx';

const levelColor: Record<string, string> = {
  city: 'magenta',
  district: 'volcano',
  street: 'gold',
  community: 'green',
  grid: 'cyan',
};

export function LevelTag({ level }: { level: string }) {
  const { levelLabel } = useI18n();
  return (
    <Tag color={levelColor[level] ?? 'default'} className="jy-level-tag">
      {levelLabel(level)}
    </Tag>
  );
}

export function RetiredTag() {
  const { t } = useI18n();
  return <Tag className="jy-retired-tag">{t('jur.retired')}</Tag>;
}

/** Wraps the first case-insensitive occurrence of `term` in <mark>. */
export function highlight(text: string, term: string): ReactNode {
  if (!term) return text;
  const i = text.toLowerCase().indexOf(term.toLowerCase());
  if (i < 0) return text;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + term.length)}</mark>
      {text.slice(i + term.length)}
    </>
  );
}

export function NodeTitle({ node, term = '' }: { node: TJurisdictionNode; term?: string }) {
  const retired = node.status === 'retired';
  return (
    <span className={retired ? 'jy-node jy-node-retired' : 'jy-node'} data-testid={`jnode-${node.code}`}>
      <span className="jy-node-name">{highlight(node.name, term)}</span>
      <Typography.Text type="secondary" className="jy-node-code">
        {highlight(node.code, term)}
      </Typography.Text>
      <LevelTag level={node.level} />
      {retired && <RetiredTag />}
    </span>
  );
}
