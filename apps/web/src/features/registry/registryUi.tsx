import {
  type CareTag,
  careTagLabels,
  dwellingUseLabels,
  endReasonLabels,
  idTypeLabels,
  orgCategoryLabels,
  type ResidenceType,
  relationLabels,
  residenceTypeLabels,
} from '@jiayuan/contracts';
import { Tag } from 'antd';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';

const residenceColour: Record<ResidenceType, string> = {
  registered: 'blue',
  permanent: 'green',
  floating: 'orange',
  overseas: 'purple',
};

export function ResidenceTag({ type }: { type: ResidenceType }) {
  const { pick } = useI18n();
  return <Tag color={residenceColour[type]}>{pick(residenceTypeLabels[type])}</Tag>;
}

export function CareTagList({ tags }: { tags: CareTag[] }) {
  const { pick, t } = useI18n();
  if (tags.length === 0) return <span className="jy-muted">{t('reg.noCareTags')}</span>;
  return (
    <span className="jy-tags" data-testid="care-tags">
      {tags.map((c) => (
        <Tag key={c} color="magenta">
          {pick(careTagLabels[c])}
        </Tag>
      ))}
    </span>
  );
}

/** Label tables by the history's field names (the PATCH body's keys, plus the events the server records). */
const fieldKeys: Record<string, MessageKey> = {
  name: 'reg.field.name',
  idType: 'reg.field.idType',
  idNumber: 'reg.field.idNumber',
  sex: 'reg.field.sex',
  birthDate: 'reg.field.birthDate',
  phone: 'reg.field.phone',
  householdId: 'reg.field.household',
  relationToHead: 'reg.field.relation',
  dwellingId: 'reg.field.dwelling',
  jurisdictionId: 'reg.field.jurisdiction',
  registeredPlace: 'reg.field.registeredPlace',
  residenceType: 'reg.field.residenceType',
  arrivedOn: 'reg.field.arrivedOn',
  expectedLeaveOn: 'reg.field.expectedLeaveOn',
  residenceRegisteredOn: 'reg.field.residenceRegisteredOn',
  separated: 'reg.field.separated',
  careTags: 'reg.field.careTags',
  note: 'reg.field.note',
  registered: 'reg.field.registered',
  status: 'reg.field.status',
  endReason: 'reg.field.endReason',
  endedOn: 'reg.field.endedOn',
};

export function useRegistryLabels() {
  const { t, pick } = useI18n();
  const fieldLabel = (field: string) => (fieldKeys[field] ? t(fieldKeys[field]) : field);
  const label = (table: Record<string, { zh: string; en: string }>, v: string) => (table[v] ? pick(table[v]) : v);
  /** A history value as people read it: enums by their labels, care tags by theirs; everything else as stored. */
  const historyValue = (field: string, v: string | null): string => {
    if (v === null || v === '') return '—';
    switch (field) {
      case 'residenceType':
      case 'registered':
        return label(residenceTypeLabels, v);
      case 'relationToHead':
        return label(relationLabels, v);
      case 'idType':
        return label(idTypeLabels, v);
      case 'endReason':
        return label(endReasonLabels, v);
      case 'sex':
        return v === 'M' ? t('reg.sex.M') : v === 'F' ? t('reg.sex.F') : v;
      case 'separated':
        return v === 'true' ? t('common.yes') : v === 'false' ? t('common.no') : v;
      case 'status':
        return v === 'active' ? t('reg.status.active') : v === 'ended' ? t('reg.status.ended') : v;
      case 'careTags': {
        if (v === '***') return v;
        try {
          const list = JSON.parse(v) as string[];
          return list.length ? list.map((c) => label(careTagLabels, c)).join('、') : '—';
        } catch {
          return v;
        }
      }
      default:
        return v;
    }
  };
  return {
    fieldLabel,
    historyValue,
    sexLabel: (s: 'M' | 'F' | null) => (s ? t(`reg.sex.${s}`) : '—'),
    relationLabel: (r: string | null) => (r ? label(relationLabels, r) : '—'),
    idTypeLabel: (v: string) => label(idTypeLabels, v),
    dwellingUseLabel: (v: string) => label(dwellingUseLabels, v),
    orgCategoryLabel: (v: string) => label(orgCategoryLabels, v),
    endReasonLabel: (v: string | null) => (v ? label(endReasonLabels, v) : '—'),
  };
}
