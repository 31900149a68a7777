import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CaseState, TBuildingView, TCaseSummary } from '@jiayuan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Statistic,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type BoundaryCollection, caseApi, gridApi, placeApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { DeadlineTag, openCaseStates, StateTag } from '../cases/caseUi.tsx';
import { JurisdictionPicker } from '../jurisdictions/JurisdictionPicker.tsx';
import { BoundaryUpload } from './BoundaryUpload.tsx';
import { collectPages } from './collect.ts';
import { HeatLayer } from './heatLayer.ts';
import { boundaryLayer, createMap, deadlineColours, featureContains, L, TILE_URL } from './leafletBase.ts';

type Feature = BoundaryCollection['features'][number];
type Selection =
  | { kind: 'grid'; feature: Feature }
  | { kind: 'case'; item: TCaseSummary }
  | { kind: 'building'; item: TBuildingView }
  | null;
type Layers = { grids: boolean; buildings: boolean; cases: boolean; heat: boolean };

const MAX_BUILDINGS = 3000;
const notDispatched: CaseState[] = ['reported', 'verified', 'accepted'];
const MAX_CASES = 2000;

export default function GridMapPage() {
  const { t } = useI18n();
  const user = useUser();
  const qc = useQueryClient();
  const canPlaces = access.places(user);
  const canCases = access.caseRead(user);
  const [within, setWithin] = useState<string | undefined>();
  const [layers, setLayers] = useState<Layers>({ grids: true, buildings: canPlaces, cases: canCases, heat: false });
  const [selection, setSelection] = useState<Selection>(null);
  const [uploading, setUploading] = useState(false);

  const boundaries = useQuery({
    queryKey: ['grids', 'boundaries', within ?? null],
    queryFn: () => gridApi.boundaries(within),
    staleTime: 60_000,
  });
  const buildings = useQuery({
    queryKey: ['map', 'buildings', within ?? null],
    queryFn: () =>
      collectPages((cursor) => placeApi.buildings({ jurisdictionId: within, limit: 200, cursor }), MAX_BUILDINGS),
    enabled: canPlaces,
    staleTime: 60_000,
  });
  const cases = useQuery({
    queryKey: ['map', 'cases', within ?? null],
    queryFn: () =>
      collectPages(
        (cursor) => caseApi.list({ state: openCaseStates.join(','), jurisdictionId: within }, 200, cursor),
        MAX_CASES,
      ),
    enabled: canCases,
    staleTime: 30_000,
  });

  // ---- the map and its layers ----
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const gridLayer = useRef<L.GeoJSON | null>(null);
  const buildingLayer = useRef<L.LayerGroup | null>(null);
  const caseLayer = useRef<L.LayerGroup | null>(null);
  const heatLayer = useRef<HeatLayer | null>(null);
  const fittedFor = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current);
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  const selectedGridId = selection?.kind === 'grid' ? selection.feature.id : null;

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    gridLayer.current?.remove();
    gridLayer.current = null;
    if (!boundaries.data || !layers.grids) return;
    gridLayer.current = boundaryLayer(boundaries.data, {
      highlight: selectedGridId,
      onClick: (feature) => setSelection({ kind: 'grid', feature }),
    }).addTo(map);
    gridLayer.current.bringToBack();
    const key = within ?? null;
    if (fittedFor.current !== key && boundaries.data.features.length > 0) {
      map.fitBounds(gridLayer.current.getBounds(), { padding: [16, 16] });
      fittedFor.current = key;
    }
  }, [boundaries.data, layers.grids, selectedGridId, within]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    buildingLayer.current?.remove();
    buildingLayer.current = null;
    if (!layers.buildings || !buildings.data) return;
    const group = L.layerGroup();
    for (const b of buildings.data.items) {
      if (b.lng === null || b.lat === null) continue;
      L.circleMarker([b.lat, b.lng], { radius: 4, color: '#3f4b5b', weight: 1, fillColor: '#8c9bb0', fillOpacity: 0.9 })
        .bindTooltip(`${b.complexName ?? ''}${b.name}`, { direction: 'top' })
        .on('click', (e) => {
          L.DomEvent.stopPropagation(e);
          setSelection({ kind: 'building', item: b });
        })
        .addTo(group);
    }
    buildingLayer.current = group.addTo(map);
  }, [buildings.data, layers.buildings]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    caseLayer.current?.remove();
    caseLayer.current = null;
    heatLayer.current?.remove();
    heatLayer.current = null;
    const items = (cases.data?.items ?? []).filter((c) => c.lng !== null && c.lat !== null);
    if (layers.heat) heatLayer.current = new HeatLayer(items.map((c) => [c.lat as number, c.lng as number])).addTo(map);
    if (!layers.cases) return;
    const group = L.layerGroup();
    for (const c of items) {
      // Not yet dispatched: the clock has not started, drawn as a hollow point.
      const waiting = notDispatched.includes(c.state);
      L.circleMarker([c.lat as number, c.lng as number], {
        radius: 7,
        color: waiting ? '#1d5fbf' : '#fff',
        weight: 2,
        fillColor: waiting ? '#fff' : deadlineColours[c.deadline],
        fillOpacity: 0.95,
      })
        .bindTooltip(`${c.number} ${c.title}`, { direction: 'top' })
        .on('click', (e) => {
          L.DomEvent.stopPropagation(e);
          setSelection({ kind: 'case', item: c });
        })
        .addTo(group);
    }
    caseLayer.current = group.addTo(map);
  }, [cases.data, layers.cases, layers.heat]);

  // ---- counts per grid ----
  const counts = useMemo(() => {
    if (selection?.kind !== 'grid') return null;
    const f = selection.feature;
    const bs = (buildings.data?.items ?? []).filter(
      (b) => b.jurisdiction.id === f.id || (b.lng !== null && b.lat !== null && featureContains(f, b.lng, b.lat)),
    );
    const cs = (cases.data?.items ?? []).filter(
      (c) =>
        c.gridId === f.id ||
        (c.gridId === null && c.lng !== null && c.lat !== null && featureContains(f, c.lng, c.lat)),
    );
    const byColour = { green: 0, yellow: 0, red: 0, paused: 0 };
    let waiting = 0;
    for (const c of cs) {
      if (notDispatched.includes(c.state)) waiting++;
      else if (c.deadline in byColour) byColour[c.deadline as keyof typeof byColour]++;
    }
    return { buildings: bs.length, cases: cs.length, byColour, waiting };
  }, [selection, buildings.data, cases.data]);

  const noBoundaries = boundaries.data && boundaries.data.features.length === 0;
  const loading = boundaries.isFetching || buildings.isFetching || cases.isFetching;

  return (
    <div className="jy-page" data-testid="map-page">
      <Typography.Title level={4} className="jy-page-title">
        {t('nav.map')}
      </Typography.Title>
      <Card className="jy-filter-card" size="small">
        <div className="jy-map-toolbar">
          <Space wrap size="middle">
            <span className="jy-nowrap">{t('map.scope')}</span>
            <div style={{ width: 280 }}>
              <JurisdictionPicker
                value={within}
                onChange={(v) => {
                  setWithin(v || undefined);
                  setSelection(null);
                }}
                placeholder={t('map.scopeAll')}
                testId="map-scope"
              />
            </div>
            <Checkbox
              checked={layers.grids}
              onChange={(e) => setLayers({ ...layers, grids: e.target.checked })}
              data-testid="layer-grids"
            >
              {t('map.layer.grids')}
            </Checkbox>
            {canPlaces && (
              <Checkbox
                checked={layers.buildings}
                onChange={(e) => setLayers({ ...layers, buildings: e.target.checked })}
                data-testid="layer-buildings"
              >
                {t('map.layer.buildings')}
              </Checkbox>
            )}
            {canCases && (
              <Checkbox
                checked={layers.cases}
                onChange={(e) => setLayers({ ...layers, cases: e.target.checked })}
                data-testid="layer-cases"
              >
                {t('map.layer.cases')}
              </Checkbox>
            )}
            {canCases && (
              <Checkbox
                checked={layers.heat}
                onChange={(e) => setLayers({ ...layers, heat: e.target.checked })}
                data-testid="layer-heat"
              >
                {t('map.layer.heat')}
              </Checkbox>
            )}
          </Space>
          <Space wrap>
            {loading && <Spin size="small" />}
            <Tooltip title={t('common.refresh')}>
              <Button
                icon={<ReloadOutlined />}
                aria-label={t('common.refresh')}
                onClick={() =>
                  void qc.invalidateQueries({ predicate: (q) => ['grids', 'map'].includes(String(q.queryKey[0])) })
                }
              />
            </Tooltip>
            {access.importBoundaries(user) && (
              <Button icon={<CloudUploadOutlined />} onClick={() => setUploading(true)} data-testid="boundary-upload">
                {t('map.upload.button')}
              </Button>
            )}
          </Space>
        </div>
      </Card>
      {noBoundaries && (
        <Alert
          className="jy-page-alert"
          type="info"
          showIcon
          title={t('map.noBoundaries')}
          description={access.importBoundaries(user) ? t('map.noBoundariesImport') : t('map.noBoundariesAsk')}
          data-testid="map-no-boundaries"
        />
      )}
      {(buildings.data?.truncated || cases.data?.truncated) && (
        <Alert className="jy-page-alert" type="warning" showIcon title={t('map.truncated')} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card styles={{ body: { padding: 0 } }} className="jy-map-card">
            <div ref={el} className="jy-map" data-testid="grid-map" />
            <div className="jy-map-legend" data-testid="map-legend">
              {canCases &&
                (['green', 'yellow', 'red', 'paused'] as const).map((c) => (
                  <span key={c} className="jy-legend-item">
                    <span className="jy-legend-dot" style={{ background: deadlineColours[c] }} />
                    {t(`case.deadline.${c}`)}
                  </span>
                ))}
              {canCases && (
                <span className="jy-legend-item">
                  <span
                    className="jy-legend-dot"
                    style={{ background: '#fff', borderColor: '#1d5fbf', borderWidth: 2 }}
                  />
                  {t('case.deadline.notStarted')}
                </span>
              )}
              {canPlaces && (
                <span className="jy-legend-item">
                  <span className="jy-legend-dot" style={{ background: '#8c9bb0', width: 8, height: 8 }} />
                  {t('map.layer.buildings')}
                </span>
              )}
              {!TILE_URL && <span className="jy-legend-note">{t('map.noTiles')}</span>}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card title={t('map.details')} data-testid="map-details">
            {!selection && <Empty description={t('map.clickHint')} />}
            {selection?.kind === 'grid' && (
              <div data-testid="map-grid-info">
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'name', label: t('jur.name'), children: selection.feature.properties.name },
                    {
                      key: 'code',
                      label: t('jur.code'),
                      children: <Typography.Text copyable>{selection.feature.properties.code}</Typography.Text>,
                    },
                  ]}
                />
                {counts && (
                  <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
                    {canPlaces && (
                      <Col span={12}>
                        <Statistic title={t('map.count.buildings')} value={counts.buildings} />
                      </Col>
                    )}
                    {canCases && (
                      <Col span={12}>
                        <Statistic title={t('map.count.openCases')} value={counts.cases} />
                      </Col>
                    )}
                    {canCases && counts.cases > 0 && (
                      <Col span={24}>
                        <Space wrap size={4}>
                          {(['green', 'yellow', 'red', 'paused'] as const).map((c) =>
                            counts.byColour[c] ? (
                              <Tag key={c} color={deadlineColours[c]}>
                                {t(`case.deadline.${c}`)} {counts.byColour[c]}
                              </Tag>
                            ) : null,
                          )}
                          {counts.waiting > 0 && (
                            <Tag color="blue">
                              {t('case.deadline.notStarted')} {counts.waiting}
                            </Tag>
                          )}
                        </Space>
                      </Col>
                    )}
                  </Row>
                )}
                <Space wrap style={{ marginTop: 12 }}>
                  {access.registry(user) && (
                    <Link to={`/registry?sel=jurisdiction:${selection.feature.id}`}>{t('map.openRegistry')}</Link>
                  )}
                  {access.cases(user) && (
                    <Link to={`/cases?jurisdictionId=${selection.feature.id}`}>{t('map.openCases')}</Link>
                  )}
                </Space>
              </div>
            )}
            {selection?.kind === 'case' && (
              <div data-testid="map-case-info">
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  <Link to={`/cases/${selection.item.id}`}>{selection.item.number}</Link>
                </Typography.Title>
                <Typography.Paragraph>{selection.item.title}</Typography.Paragraph>
                <Space wrap>
                  <StateTag state={selection.item.state} />
                  <DeadlineTag
                    deadline={selection.item.deadline}
                    expectedAt={selection.item.expectedAt}
                    state={selection.item.state}
                  />
                </Space>
                <Descriptions
                  column={1}
                  size="small"
                  style={{ marginTop: 12 }}
                  items={[
                    { key: 'cat', label: t('case.category'), children: selection.item.categoryName },
                    { key: 'where', label: t('case.jurisdiction'), children: selection.item.jurisdictionName },
                    { key: 'assignee', label: t('case.assignee'), children: selection.item.assigneeName ?? '—' },
                  ]}
                />
              </div>
            )}
            {selection?.kind === 'building' && (
              <div data-testid="map-building-info">
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {selection.item.complexName ?? ''}
                  {selection.item.name}
                </Typography.Title>
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'grid', label: t('reg.grid'), children: selection.item.jurisdiction.name },
                    { key: 'addr', label: t('reg.address'), children: selection.item.address ?? '—' },
                    { key: 'floors', label: t('reg.floors'), children: selection.item.floors ?? '—' },
                  ]}
                />
                {access.registry(user) && (
                  <Link to={`/registry?sel=building:${selection.item.id}`}>{t('map.openRegistry')}</Link>
                )}
              </div>
            )}
          </Card>
        </Col>
      </Row>
      {uploading && <BoundaryUpload onClose={() => setUploading(false)} />}
    </div>
  );
}
