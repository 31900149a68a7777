import { useQuery } from '@tanstack/react-query';
import { Empty, Spin, Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type Key, useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { householdApi, jurisdictionApi, placeApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { showError } from '../../app/notify.ts';
import { useUser } from '../../app/session.tsx';
import { LevelTag } from '../jurisdictions/NodeTitle.tsx';
import { collectPages } from '../map/collect.ts';

export type PlaceKind = 'jurisdiction' | 'complex' | 'building' | 'unit' | 'dwelling' | 'household';
export const placeKinds: PlaceKind[] = ['jurisdiction', 'complex', 'building', 'unit', 'dwelling', 'household'];

type Item = { key: string; kind: PlaceKind; id: string; name: string; level?: string; sub?: string; leaf: boolean };
type State = { items: Map<string, Item>; children: Map<string, string[]>; roots: string[] };
type Action = { type: 'roots'; items: Item[] } | { type: 'children'; parent: string; items: Item[] };

const keyOf = (kind: PlaceKind, id: string) => `${kind}:${id}`;
export const parseKey = (key: string | null): { kind: PlaceKind; id: string } | null => {
  if (!key) return null;
  const [kind, id] = key.split(':');
  return kind && id && placeKinds.includes(kind as PlaceKind) ? { kind: kind as PlaceKind, id } : null;
};

function reducer(s: State, a: Action): State {
  const items = new Map(s.items);
  for (const i of a.items) items.set(i.key, i);
  if (a.type === 'roots') return { ...s, items, roots: a.items.map((i) => i.key) };
  const children = new Map(s.children);
  children.set(
    a.parent,
    a.items.map((i) => i.key),
  );
  return { ...s, items, children };
}

const kindTag: Record<Exclude<PlaceKind, 'jurisdiction'>, { colour: string; label: MessageKey }> = {
  complex: { colour: 'geekblue', label: 'reg.kind.complex' },
  building: { colour: 'blue', label: 'reg.kind.building' },
  unit: { colour: 'default', label: 'reg.kind.unit' },
  dwelling: { colour: 'default', label: 'reg.kind.dwelling' },
  household: { colour: 'orange', label: 'reg.kind.household' },
};

const MAX_CHILDREN = 2000;

/** 辖区 → 小区 → 楼栋 → 单元 → 房屋 → 户, loaded level by level as the user opens it. */
export function PlaceTree({
  selected,
  onSelect,
  onSingleRoot,
}: {
  selected: string | null;
  onSelect: (key: string) => void;
  /** Called with the root's key when the user's scope is one node (shown at once). */
  onSingleRoot?: (key: string) => void;
}) {
  const { t } = useI18n();
  const user = useUser();
  const seeHouseholds = access.residents(user);
  const [state, dispatch] = useReducer(reducer, { items: new Map(), children: new Map(), roots: [] });
  const [expanded, setExpanded] = useState<Key[]>([]);

  const roots = useQuery({ queryKey: ['jurisdictions', 'roots', false], queryFn: () => jurisdictionApi.roots() });
  useEffect(() => {
    if (!roots.data) return;
    dispatch({
      type: 'roots',
      items: roots.data.items.map((n) => ({
        key: keyOf('jurisdiction', n.id),
        kind: 'jurisdiction',
        id: n.id,
        name: n.name,
        level: n.level,
        leaf: false,
      })),
    });
    // A single root (a community's or a grid's staff): open it at once.
    const only = roots.data.items.length === 1 ? roots.data.items[0] : undefined;
    if (only) {
      setExpanded((e) => (e.length ? e : [keyOf('jurisdiction', only.id)]));
      onSingleRoot?.(keyOf('jurisdiction', only.id));
    }
  }, [roots.data, onSingleRoot]);

  const load = useCallback(
    async (key: string) => {
      const item = state.items.get(key);
      if (!item) return;
      const all = <T,>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) =>
        collectPages(fetch, MAX_CHILDREN).then((r) => r.items);
      try {
        let children: Item[] = [];
        if (item.kind === 'jurisdiction') {
          const [nodes, complexes, buildings] = await Promise.all([
            item.level === 'grid' ? Promise.resolve({ items: [] }) : jurisdictionApi.children(item.id),
            item.level === 'community' || item.level === 'grid'
              ? all((cursor) => placeApi.complexes({ jurisdictionId: item.id, limit: 200, cursor }))
              : Promise.resolve([]),
            item.level === 'grid'
              ? all((cursor) => placeApi.buildings({ jurisdictionId: item.id, limit: 200, cursor }))
              : Promise.resolve([]),
          ]);
          children = [
            ...nodes.items.map((n) => ({
              key: keyOf('jurisdiction', n.id),
              kind: 'jurisdiction' as const,
              id: n.id,
              name: n.name,
              level: n.level,
              leaf: false,
            })),
            ...complexes
              .filter((c) => c.jurisdiction.id === item.id)
              .map((c) => ({
                key: keyOf('complex', c.id),
                kind: 'complex' as const,
                id: c.id,
                name: c.name,
                leaf: false,
              })),
            ...buildings
              .filter((b) => b.complexId === null && b.jurisdiction.id === item.id)
              .map((b) => ({
                key: keyOf('building', b.id),
                kind: 'building' as const,
                id: b.id,
                name: b.name,
                leaf: false,
              })),
          ];
        } else if (item.kind === 'complex') {
          const buildings = await all((cursor) => placeApi.buildings({ complexId: item.id, limit: 200, cursor }));
          children = buildings.map((b) => ({
            key: keyOf('building', b.id),
            kind: 'building',
            id: b.id,
            name: b.name,
            leaf: false,
          }));
        } else if (item.kind === 'building') {
          const [units, dwellings] = await Promise.all([
            all((cursor) => placeApi.units({ buildingId: item.id, limit: 200, cursor })),
            all((cursor) => placeApi.dwellings({ buildingId: item.id, limit: 200, cursor })),
          ]);
          children = [
            ...units.map((u) => ({
              key: keyOf('unit', u.id),
              kind: 'unit' as const,
              id: u.id,
              name: u.name,
              leaf: false,
            })),
            ...dwellings
              .filter((d) => d.unitId === null)
              .map((d) => ({
                key: keyOf('dwelling', d.id),
                kind: 'dwelling' as const,
                id: d.id,
                name: d.number,
                leaf: !seeHouseholds,
              })),
          ];
        } else if (item.kind === 'unit') {
          const dwellings = await all((cursor) => placeApi.dwellings({ unitId: item.id, limit: 200, cursor }));
          children = dwellings.map((d) => ({
            key: keyOf('dwelling', d.id),
            kind: 'dwelling',
            id: d.id,
            name: d.number,
            leaf: !seeHouseholds,
          }));
        } else if (item.kind === 'dwelling' && seeHouseholds) {
          const hs = await householdApi.list({ dwellingId: item.id, limit: 200 });
          children = hs.items.map((h) => ({
            key: keyOf('household', h.id),
            kind: 'household',
            id: h.id,
            name: h.number,
            sub: h.headName ?? undefined,
            leaf: true,
          }));
        }
        dispatch({ type: 'children', parent: key, items: children });
      } catch (e) {
        showError(e);
      }
    },
    [state.items, seeHouseholds],
  );

  const treeData = useMemo(() => {
    const build = (keys: string[]): DataNode[] =>
      keys.flatMap((key) => {
        const i = state.items.get(key);
        if (!i) return [];
        const kids = state.children.get(key);
        return [
          {
            key,
            isLeaf: i.leaf || (kids !== undefined && kids.length === 0),
            children: kids ? build(kids) : undefined,
            title: (
              <span className="jy-node" data-testid={`place-${i.kind}`}>
                <span className="jy-node-name">{i.name}</span>
                {i.sub && <span className="jy-muted">{i.sub}</span>}
                {i.kind === 'jurisdiction' ? (
                  <LevelTag level={i.level ?? ''} />
                ) : (
                  <Tag color={kindTag[i.kind].colour}>{t(kindTag[i.kind].label)}</Tag>
                )}
              </span>
            ),
          },
        ];
      });
    return build(state.roots);
  }, [state, t]);

  if (roots.isPending)
    return (
      <div className="jy-page-spin">
        <Spin />
      </div>
    );
  if (treeData.length === 0) return <Empty description={t('common.empty')} />;
  return (
    <Tree
      data-testid="place-tree"
      blockNode
      showLine={{ showLeafIcon: false }}
      treeData={treeData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys)}
      loadedKeys={[...state.children.keys()]}
      loadData={(node) => load(String(node.key))}
      selectedKeys={selected ? [selected] : []}
      onSelect={(keys) => {
        const k = keys[0];
        if (k !== undefined) onSelect(String(k));
      }}
    />
  );
}
