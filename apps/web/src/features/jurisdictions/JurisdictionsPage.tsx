import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { TJurisdictionNode } from '@jiayuan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Input, Row, Space, Spin, Switch, Tooltip, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type Key, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { jurisdictionApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showError } from '../../app/notify.ts';
import { JurisdictionDetail } from './JurisdictionDetail.tsx';
import { NodeTitle } from './NodeTitle.tsx';

type State = {
  nodes: Map<string, TJurisdictionNode>;
  /** children loaded so far, by parent id */
  children: Map<string, string[]>;
  roots: string[];
};

type Action =
  | { type: 'roots'; items: TJurisdictionNode[] }
  | { type: 'children'; parentId: string; items: TJurisdictionNode[] }
  | { type: 'upsert'; node: TJurisdictionNode };

const empty = (): State => ({ nodes: new Map(), children: new Map(), roots: [] });

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'roots': {
      const nodes = new Map(state.nodes);
      for (const n of action.items) nodes.set(n.id, n);
      return { ...state, nodes, roots: action.items.map((n) => n.id) };
    }
    case 'children': {
      const nodes = new Map(state.nodes);
      for (const n of action.items) nodes.set(n.id, n);
      const children = new Map(state.children);
      // a node that moved away is no longer listed under its old parent
      for (const [p, ids] of children) {
        if (p !== action.parentId) {
          const moved = ids.filter((id) => !action.items.some((n) => n.id === id));
          if (moved.length !== ids.length) children.set(p, moved);
        }
      }
      children.set(
        action.parentId,
        action.items.map((n) => n.id),
      );
      return { ...state, nodes, children };
    }
    case 'upsert': {
      const nodes = new Map(state.nodes);
      nodes.set(action.node.id, action.node);
      return { ...state, nodes };
    }
  }
}

export default function JurisdictionsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [state, dispatch] = useReducer(reducer, undefined, empty);
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [term, setTerm] = useState('');

  const roots = useQuery({
    queryKey: ['jurisdictions', 'roots', includeRetired],
    queryFn: () => jurisdictionApi.roots(includeRetired),
  });

  useEffect(() => {
    if (roots.data) dispatch({ type: 'roots', items: roots.data.items });
  }, [roots.data]);

  const loadChildren = useCallback(
    async (parentId: string) => {
      try {
        const r = await jurisdictionApi.children(parentId, includeRetired);
        dispatch({ type: 'children', parentId, items: r.items });
      } catch (e) {
        showError(e);
      }
    },
    [includeRetired],
  );

  // showing or hiding retired nodes reloads every list already open, keeping the tree as it is
  const loadedParents = useRef<string[]>([]);
  loadedParents.current = [...state.children.keys()];
  const firstRun = useRef(true);
  useEffect(() => {
    if (firstRun.current) {
      firstRun.current = false;
      return;
    }
    for (const p of loadedParents.current) void loadChildren(p);
  }, [loadChildren]);

  /** After a change: reload the roots and every list already opened, and the cached details. */
  const refresh = useCallback(async () => {
    const parents = [...state.children.keys()];
    await Promise.all([roots.refetch(), ...parents.map((p) => loadChildren(p))]);
    await qc.invalidateQueries({ queryKey: ['jurisdiction'] });
  }, [state.children, roots, loadChildren, qc]);

  const search = term.trim();
  const { visible, searchExpanded } = useMemo(() => {
    if (!search) return { visible: null, searchExpanded: [] as string[] };
    const s = search.toLowerCase();
    const visibleIds = new Set<string>();
    const open = new Set<string>();
    for (const n of state.nodes.values()) {
      if (!n.name.toLowerCase().includes(s) && !n.code.includes(s)) continue;
      visibleIds.add(n.id);
      let p = n.parentId;
      while (p && state.nodes.has(p)) {
        visibleIds.add(p);
        open.add(p);
        p = state.nodes.get(p)?.parentId ?? null;
      }
    }
    return { visible: visibleIds, searchExpanded: [...open] };
  }, [search, state.nodes]);

  const treeData = useMemo(() => {
    const build = (ids: string[]): DataNode[] =>
      ids.flatMap((id) => {
        const n = state.nodes.get(id);
        if (!n || (visible && !visible.has(id))) return [];
        const kids = state.children.get(id);
        return [
          {
            key: id,
            title: <NodeTitle node={n} term={search} />,
            isLeaf: n.childCount === 0 && !kids?.length,
            children: kids ? build(kids) : undefined,
          },
        ];
      });
    return build(state.roots);
  }, [state, visible, search]);

  const loadedKeys = useMemo(() => [...state.children.keys()], [state.children]);
  const expandedKeys = search ? [...new Set([...expanded, ...searchExpanded])] : expanded;

  const selectedNode = selected ? state.nodes.get(selected) : undefined;

  return (
    <div className="jy-page" data-testid="jurisdictions-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.jurisdictions')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={11} xxl={9}>
          <Card
            className="jy-tree-card"
            title={t('jur.tree')}
            extra={
              <Tooltip title={t('common.refresh')}>
                <Button
                  type="text"
                  icon={<ReloadOutlined />}
                  onClick={() => void refresh()}
                  aria-label={t('common.refresh')}
                />
              </Tooltip>
            }
          >
            <Space orientation="vertical" style={{ width: '100%' }} size="small">
              <Input
                allowClear
                prefix={<SearchOutlined />}
                placeholder={t('jur.search')}
                value={term}
                onChange={(e) => setTerm(e.target.value)}
                data-testid="jurisdiction-search"
              />
              <Space size="small" wrap>
                <Switch
                  size="small"
                  checked={includeRetired}
                  onChange={setIncludeRetired}
                  data-testid="jurisdiction-include-retired"
                />
                <Typography.Text type="secondary">{t('jur.includeRetired')}</Typography.Text>
              </Space>
              {search && (
                <Typography.Text type="secondary" className="jy-hint">
                  {t('jur.searchHint')}
                </Typography.Text>
              )}
            </Space>
            <div className="jy-tree-scroll">
              {roots.isPending ? (
                <div className="jy-page-spin">
                  <Spin />
                </div>
              ) : treeData.length === 0 ? (
                <Empty description={search ? t('jur.noMatch') : t('common.empty')} />
              ) : (
                <Tree
                  data-testid="jurisdiction-tree"
                  blockNode
                  showLine={{ showLeafIcon: false }}
                  treeData={treeData}
                  expandedKeys={expandedKeys}
                  onExpand={(keys) => setExpanded(keys)}
                  loadedKeys={loadedKeys}
                  loadData={(node) => loadChildren(String(node.key))}
                  selectedKeys={selected ? [selected] : []}
                  onSelect={(keys) => {
                    const k = keys[0];
                    if (k !== undefined) setSelected(String(k));
                  }}
                />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={13} xxl={15}>
          {selected ? (
            <JurisdictionDetail
              id={selected}
              fallback={selectedNode}
              parent={selectedNode?.parentId ? state.nodes.get(selectedNode.parentId) : undefined}
              onChanged={async (node) => {
                if (node) dispatch({ type: 'upsert', node });
                await refresh();
              }}
              onCreated={async (parentId) => {
                await loadChildren(parentId);
                setExpanded((prev) => (prev.includes(parentId) ? prev : [...prev, parentId]));
                await refresh();
              }}
            />
          ) : (
            <Card>
              <Empty description={t('jur.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
