import type { TJurisdictionNode } from '@jiayuan/contracts';
import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { jurisdictionApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showError } from '../../app/notify.ts';

type SimpleNode = {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  node: TJurisdictionNode;
};

const toSimple = (n: TJurisdictionNode, levelLabel: (l: string) => string): SimpleNode => ({
  id: n.id,
  pId: n.parentId,
  value: n.id,
  title: `${n.name} · ${levelLabel(n.level)} · ${n.code}`,
  isLeaf: n.childCount === 0,
  node: n,
});

/** Picks one active jurisdiction node, loading the tree lazily from the user's scope roots down. */
export function JurisdictionPicker({
  value,
  onChange,
  placeholder,
  id,
  testId,
}: {
  value?: string;
  onChange?: (id: string) => void;
  placeholder?: string;
  id?: string;
  testId?: string;
}) {
  const { t, levelLabel } = useI18n();
  const [data, setData] = useState<SimpleNode[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    jurisdictionApi
      .roots()
      .then((r) => {
        if (live) setData(r.items.map((n) => toSimple(n, levelLabel)));
      })
      .catch(showError)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [levelLabel]);

  const loadData = async (node: { value?: unknown }) => {
    const parentId = node.value;
    if (typeof parentId !== 'string' || data.some((d) => d.pId === parentId)) return;
    try {
      const r = await jurisdictionApi.children(parentId);
      setData((prev) => {
        const known = new Set(prev.map((d) => d.id));
        return [...prev, ...r.items.filter((n) => !known.has(n.id)).map((n) => toSimple(n, levelLabel))];
      });
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div data-testid={testId}>
      <TreeSelect<string>
        id={id}
        value={value}
        onChange={(v) => onChange?.(v)}
        treeDataSimpleMode
        treeData={data}
        loadData={loadData}
        loading={loading}
        placeholder={placeholder ?? t('jur.pick')}
        showSearch={{ treeNodeFilterProp: 'title' }}
        allowClear
        style={{ width: '100%' }}
        popupMatchSelectWidth={false}
      />
    </div>
  );
}
