import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.ts';
import { dateWindow, Params, parseW3c, w3c } from './open311.params.ts';
import { extendedStatus, maskPersonal, plainStatus, publicNote, statusOfState } from './open311.service.ts';
import { errorsResource, escapeXml, render, splitFormat } from './open311.xml.ts';

const NOW = new Date('2026-03-02T01:00:00Z');

describe('Open311 wire formats', () => {
  it('writes lists as parent/item elements in XML and bare arrays in JSON', () => {
    const r = errorsResource([{ code: 400, description: 'service_code <missing>' }]);
    expect(render('xml', r)).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>service_code &lt;missing&gt;</description></error></errors>\n',
    );
    expect(JSON.parse(render('json', r))).toEqual([{ code: 400, description: 'service_code <missing>' }]);
    const def = render('xml', {
      kind: 'object',
      root: 'service_definition',
      fields: { service_code: 'a.b', attributes: [{ code: 'x', values: [{ key: 'k', name: 'n' }] }], none: null },
    });
    expect(def).toContain(
      '<service_definition><service_code>a.b</service_code><attributes><attribute><code>x</code><values><value><key>k</key><name>n</name></value></values></attribute></attributes><none></none></service_definition>',
    );
  });

  it('escapes markup, keeps \\r as a character reference and drops what XML 1.0 forbids', () => {
    expect(escapeXml(`a&b<c>"d"'e'\r\n\u0000\u0008\uFFFE\uD800 😀`)).toBe(
      'a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&#13;\n 😀',
    );
  });

  it('reads the format from the last extension only', () => {
    expect(splitFormat('dispute.neighbour.xml')).toEqual({ name: 'dispute.neighbour', format: 'xml' });
    expect(splitFormat('430602-2026-000001.JSON')).toEqual({ name: '430602-2026-000001', format: 'json' });
    expect(splitFormat('services')).toBeNull();
    expect(splitFormat('a.yaml')).toBeNull();
  });
});

describe('Open311 parameters', () => {
  it('treats empty values as absent, keeps every value of attribute arrays and normalises line breaks', () => {
    const p = Params.from(
      new URLSearchParams(
        'email=&first_name=%E5%BC%A0%E4%B8%89&last_name=&description=a%0D%0Ab%0D%0A&attribute[k][]=1&attribute[k][]=2&attribute[s]=x&attribute[e]=',
      ),
    );
    expect(p.get('email')).toBeUndefined();
    expect(p.get('last_name')).toBeUndefined();
    expect(p.get('first_name')).toBe('张三');
    expect(p.text('description')).toBe('a\nb');
    expect([...p.attributes()]).toEqual([
      ['k', ['1', '2']],
      ['s', ['x']],
    ]);
    expect(
      Params.from({ attribute: { k: ['1', 2] }, lat: 29.1 })
        .attributes()
        .get('k'),
    ).toEqual(['1', '2']);
  });

  it('parses W3C datetimes with a timezone, a bare date as China Standard Time, and refuses the rest', () => {
    expect(parseW3c('d', '2026-03-02T09:00:00+08:00').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseW3c('d', '2026-03-02T01:00Z').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseW3c('d', '2026-03-02T09:00:00.5+0800').toISOString()).toBe('2026-03-02T01:00:00.500Z');
    expect(parseW3c('d', '2026-03-02T09:00:00 08:00').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseW3c('d', '2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    for (const bad of ['2026-03-02T09:00:00', '2026-02-30', '2026-13-01T00:00Z', 'yesterday'])
      expect(() => parseW3c('d', bad), bad).toThrow(AppError);
    expect(w3c(new Date('2026-03-02T01:00:00Z'))).toBe('2026-03-02T09:00:00+08:00');
  });

  it('defaults the window to the last 90 days and refuses one longer than that', () => {
    const none = dateWindow(Params.from({}), NOW);
    expect(none.end).toEqual(NOW);
    expect(NOW.getTime() - none.start.getTime()).toBe(90 * 86_400_000);
    const from = dateWindow(Params.from({ start_date: '2026-01-01T00:00:00Z' }), NOW);
    expect(from.end.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(() =>
      dateWindow(Params.from({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:01Z' }), NOW),
    ).toThrow(AppError);
  });
});

describe('Open311 statuses and public text', () => {
  it('maps every workflow state to FixMyStreet’s statuses and to open/closed', () => {
    expect(statusOfState).toMatchObject({
      accepted: 'OPEN',
      dispatched: 'ACTION_SCHEDULED',
      in_progress: 'IN_PROGRESS',
      handled: 'IN_PROGRESS',
      closed: 'FIXED',
      discarded: 'NO_FURTHER_ACTION',
      rework: 'REOPEN',
      reopened: 'REOPEN',
    });
    expect(extendedStatus('discarded', 'some-case')).toBe('DUPLICATE');
    expect(plainStatus('handled')).toBe('open');
    expect(plainStatus('closed')).toBe('closed');
    expect(plainStatus('discarded')).toBe('closed');
  });

  it('masks phone numbers, ID numbers and e-mail addresses, and shows only outward-facing notes', () => {
    expect(maskPersonal('电话13812345678，座机0730-8221234，证件430602199001011234，邮箱li.si@example.cn')).toBe(
      '电话138****5678，座机0730-****1234，证件430602********1234，邮箱l***@example.cn',
    );
    expect(publicNote({ action: 'dispatch', to_state: 'dispatched', note: '找王五 13812345678', details: {} })).toBe(
      '已派遣',
    );
    expect(publicNote({ action: 'handle', to_state: 'handled', note: '已清理', details: {} })).toBe('已反馈：已清理');
    expect(publicNote({ action: 'discard', to_state: 'discarded', note: null, details: { reason: '重复' } })).toBe(
      '已作废：重复',
    );
  });
});
