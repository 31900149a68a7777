import { CloseOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Input, Row, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { residentApi } from '../../api/endpoints.ts';
import { access } from '../../app/access.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';
import { FloatingList } from './FloatingList.tsx';
import { PlacePanel } from './PlacePanel.tsx';
import { PlaceTree, parseKey } from './PlaceTree.tsx';
import { ResidentTable } from './ResidentTable.tsx';

/**
 * 实有人口/房屋: the jurisdiction tree down to complexes, buildings, units, dwellings and households, with the residents
 * and organisations at each place; a search by name, ID number or phone; and the floating population. The selection,
 * the search and the tab live in the URL, so the back button and links from the map work.
 */
export default function RegistryPage() {
  const { t } = useI18n();
  const user = useUser();
  const seeResidents = access.residents(user);
  const [params, setParams] = useSearchParams();
  const selected = params.get('sel');
  const q = params.get('q') ?? '';
  const tab = params.get('tab') === 'floating' && seeResidents ? 'floating' : 'browse';
  const [text, setText] = useState(q);

  const update = (patch: Record<string, string | null>) => {
    // from the address as it is now: a render's copy can be one navigation behind
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  // With one root (a community's or a grid's staff), show it rather than an empty panel; kept out of the URL so
  // that it can never race with a search typed while the tree loads.
  const [rootKey, setRootKey] = useState<string | null>(null);
  const shown = selected ?? rootKey;
  const sel = parseKey(shown);

  const browse = (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8} xxl={6}>
        <Card title={t('reg.tree')} className="jy-tree-card">
          <div className="jy-tree-scroll jy-tree-scroll-tall">
            <PlaceTree selected={shown} onSelect={(key) => update({ sel: key, q: null })} onSingleRoot={setRootKey} />
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={16} xxl={18}>
        {q ? (
          <Card
            data-testid="search-results"
            title={t('reg.searchResults', { q })}
            extra={
              <Button
                type="text"
                icon={<CloseOutlined />}
                aria-label={t('common.close')}
                onClick={() => {
                  setText('');
                  update({ q: null });
                }}
              />
            }
          >
            <ResidentTable
              testId="search-table"
              queryKey={['residents', 'search', q]}
              fetchPage={(cursor) => residentApi.search(q, cursor)}
              empty={<Empty description={t('reg.searchNone')} />}
            />
          </Card>
        ) : sel ? (
          <PlacePanel key={shown} kind={sel.kind} id={sel.id} onOpen={(key) => update({ sel: key })} />
        ) : (
          <Card>
            <Empty description={t('reg.selectHint')} />
          </Card>
        )}
      </Col>
    </Row>
  );

  return (
    <div className="jy-page" data-testid="registry-page">
      <div className="jy-page-head">
        <Typography.Title level={4} className="jy-page-title">
          {t('nav.registry')}
        </Typography.Title>
        {seeResidents && (
          <Input.Search
            className="jy-page-search"
            allowClear
            enterButton={<SearchOutlined />}
            placeholder={t('reg.searchPlaceholder')}
            value={text}
            maxLength={50}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => {
              const s = v.trim();
              update({ q: s || null, tab: null });
            }}
            data-testid="registry-search"
          />
        )}
      </div>
      {seeResidents ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => update({ tab: k === 'floating' ? 'floating' : null })}
          items={[
            { key: 'browse', label: <span data-testid="tab-browse">{t('reg.tab.browse')}</span>, children: browse },
            {
              key: 'floating',
              label: <span data-testid="tab-floating">{t('reg.tab.floating')}</span>,
              children: (
                <Card>
                  <FloatingList />
                </Card>
              ),
            },
          ]}
        />
      ) : (
        browse
      )}
    </div>
  );
}
