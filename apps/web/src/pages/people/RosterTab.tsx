import { Alert, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { problemSentence } from '../../domain/errors';
import { CATEGORY_LABELS, PERSON_STATUS_LABELS } from '../../domain/labels';
import { useSession } from '../../session';
import { useUnits, type Unit } from '../../units';
import { chinaDateOf } from '../numbers/figures';
import { useUnit } from '../registry/data';
import { usePeople, useUnitPeopleOn } from './data';
import { categoryLabel, namedRows, type NamedRow, type PersonView } from './model';

// 人员名册: the people of a unit (a clerk's own by default) or of the county, filtered by status and by name or ID
// number, a page at a time; for the unit chosen, per category 实有 (the registry), 实名 (its people on record) and
// 未实名 (the difference, a unit loaded with a count before its people). The choices are in the address.

const PAGE_SIZE = 20;
const ALL = 'all';

/** The unit and the units under it, for a clerk's picker (the API shows a clerk no others). */
export function unitsInScope(units: Unit[], own?: string | null): Unit[] {
  if (!own) return [];
  const under = new Set([own]);
  for (let grew = true; grew;) {
    grew = false;
    for (const u of units)
      if (u.parentId && under.has(u.parentId) && !under.has(u.id)) {
        under.add(u.id);
        grew = true;
      }
  }
  return units.filter((u) => under.has(u.id));
}

/** The ID number as the caller may read it: in full to the office (the API gives it), else masked. */
export function idText(p: { idNumber?: string; idNumberMasked: string }): string {
  return p.idNumber ?? p.idNumberMasked;
}

export function RosterTab() {
  const s = useSession();
  const me = s.me!;
  const [params, setParams] = useSearchParams();
  const { units, name } = useUnits();
  const clerkOnly = s.has('clerk') && !s.has('reviewer', 'office_director', 'committee_chair', 'auditor', 'admin');
  const unitParam = params.get('unit');
  // A clerk starts at its own unit; 'all' is the whole of what the caller sees.
  const unitId = unitParam === ALL ? undefined : (unitParam ?? (clerkOnly ? (me.unitId ?? undefined) : undefined));
  const status = (params.get('status') ?? 'on') as 'on' | 'off' | typeof ALL;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const people = usePeople({
    unitId,
    status: status === ALL ? undefined : status,
    q: q.trim() || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const unitOptions = useMemo(() => {
    const list = clerkOnly ? unitsInScope(units, me.unitId) : units.filter((u) => u.status === 'active');
    return list.map((u) => ({ value: u.id, label: u.name }));
  }, [units, clerkOnly, me.unitId]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Select
            aria-label="单位"
            style={{ width: 260 }}
            showSearch={{ optionFilterProp: 'label' }}
            allowClear
            placeholder={clerkOnly ? '本单位及所属单位' : '全县'}
            value={unitId}
            onChange={(v?: string) => set({ unit: v ?? ALL })}
            options={unitOptions}
            data-testid="people-unit"
          />
          <Select
            aria-label="状态"
            style={{ width: 110 }}
            value={status}
            onChange={(v: string) => set({ status: v === 'on' ? undefined : v })}
            options={[
              { value: 'on', label: '在编' },
              { value: 'off', label: '已下编' },
              { value: ALL, label: '全部' },
            ]}
          />
          <Input.Search
            allowClear
            aria-label="姓名或公民身份号码"
            placeholder="姓名，或完整的公民身份号码"
            style={{ width: 280 }}
            defaultValue={q}
            onSearch={(v) => set({ q: v.trim() || undefined })}
          />
        </Space>
      </Card>
      {unitId && <NamedCard unitId={unitId} />}
      {people.error && <Alert type="error" showIcon title={problemSentence(people.error)} />}
      <div data-testid="people-table">
        <Table<PersonView>
          size="small"
          rowKey="id"
          loading={people.isFetching}
          dataSource={people.data?.items ?? []}
          scroll={{ x: true }}
          locale={{ emptyText: q ? '没有找到符合条件的人员' : '没有人员' }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: people.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 人`,
            hideOnSinglePage: false,
            onChange: (p) => set({ page: p === 1 ? undefined : String(p) }),
          }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              render: (n: string, p) => <Link to={`/people/${p.id}`}>{n}</Link>,
            },
            {
              title: '公民身份号码',
              key: 'id',
              render: (_: unknown, p) => <span data-testid="id-number">{idText(p)}</span>,
            },
            { title: '单位', dataIndex: 'unitId', render: (id: string | null) => (id ? name(id) : '—') },
            { title: '编制类别', dataIndex: 'category', render: categoryLabel },
            {
              title: '状态',
              dataIndex: 'status',
              render: (st: string) => (
                <Tag color={st === 'on' ? 'green' : undefined}>{PERSON_STATUS_LABELS[st] ?? st}</Tag>
              ),
            },
            { title: '起始日期', dataIndex: 'since', render: (d: string) => chinaDateOf(d) },
          ]}
        />
      </div>
    </Space>
  );
}

/** 实有, 实名, 未实名 of the unit chosen, per category: both read afresh (the units list is cached for pickers). */
function NamedCard({ unitId }: { unitId: string }) {
  const people = useUnitPeopleOn(unitId);
  const unit = useUnit(unitId).data;
  if (!unit) return null;
  const rows = namedRows(unit.occupied, people.data ?? []);
  const unnamed = rows.reduce((n, r) => n + r.unnamed, 0);
  return (
    <Card
      size="small"
      title={`${unit.name} 实名情况`}
      data-testid="named-counts"
      extra={<Link to={`/registry/units/${unit.id}`}>单位台账</Link>}
    >
      {people.error ? (
        <Alert type="error" showIcon title={problemSentence(people.error)} />
      ) : (
        <>
          <Table<NamedRow>
            size="small"
            rowKey="category"
            loading={people.isLoading}
            pagination={false}
            dataSource={rows}
            locale={{ emptyText: '该单位没有在编人员' }}
            columns={[
              { title: '编制类别', dataIndex: 'category', render: (c: string) => CATEGORY_LABELS[c as 'ADMIN'] },
              ...(['occupied', 'named', 'unnamed'] as const).map((f) => ({
                title: { occupied: '实有', named: '实名', unnamed: '未实名' }[f],
                key: f,
                align: 'right' as const,
                render: (_: unknown, r: NamedRow) => (
                  <span
                    data-testid={`${r.category}-${f}`}
                    style={f === 'unnamed' && r[f] > 0 ? { color: '#d46b08' } : {}}
                  >
                    {r[f]}
                  </span>
                ),
              })),
            ]}
          />
          {unnamed > 0 && (
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              未实名：台账中的实有人数多于实名制中的在编人员，多出的 {unnamed}{' '}
              人尚未录入姓名和公民身份号码，请系统管理员导入。
            </Typography.Paragraph>
          )}
        </>
      )}
    </Card>
  );
}
