import { Alert, Button, Card, Checkbox, Input, Select, Space, Tabs, Typography } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiProblem } from '../api/client';
import { problemSentence } from '../domain/errors';
import { GRADE_LABELS, KIND_LABELS } from '../domain/labels';
import { useUnits } from '../units';
import { useRegistry, useUnit, useUnitHistory } from './registry/data';
import {
  UNIT_STATUS_LABELS,
  asOfQuery,
  asOfText,
  causeLabel,
  chinaDay,
  chinaTime,
  isNarrowed,
  matchesFilter,
  overPosts,
  overQuota,
  parseAsOf,
  readFilter,
  type AsOf,
  type UnitFigures,
} from './registry/model';
import { AsOfPicker, OverTags, RegistryTable, RegistryTree, StatusTag } from './registry/RegistryViews';
import { HistoryTable, QuotaTable, UnitFacts } from './registry/UnitParts';

// 机构编制台账 (issue 15): every unit as a table and as a tree, now or as it stood on a day, and each unit's page
// with its figures, posts, sections, name plates and history. The moment shown is in the URL (?asOf=), so that a
// page can be shared and reloaded.

/** The moment in the URL and how to change it: a picked day, or none (now). */
function useAsOf() {
  const [params, setParams] = useSearchParams();
  const param = params.get('asOf');
  const parsed = parseAsOf(param);
  const asOf = parsed === 'invalid' ? undefined : parsed;
  const pick = (day: string | null) => {
    const next = new URLSearchParams(params);
    // Today's registry is the registry now (and may still change today).
    if (!day || day >= chinaDay(Date.now())) next.delete('asOf');
    else next.set('asOf', day);
    setParams(next);
  };
  return { param: asOf ? param : null, asOf, invalid: parsed === 'invalid', pick, params, setParams };
}

function AsOfBanner({ asOf, invalid, onNow }: { asOf?: AsOf; invalid: boolean; onNow: () => void }) {
  if (invalid)
    return (
      <Alert
        type="warning"
        showIcon
        title="链接中的日期无法识别，下面显示的是当前台账。"
        style={{ marginBottom: 12 }}
      />
    );
  if (!asOf) return null;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="as-of-banner"
      title={`下面是 ${asOfText(asOf)}${asOf.exact ? '' : ' 日终'} 时的台账（历史情况，不是当前台账）。`}
      action={
        <Button size="small" onClick={onNow}>
          查看当前
        </Button>
      }
      style={{ marginBottom: 12 }}
    />
  );
}

const STATUS_OPTIONS = [
  ...Object.entries(UNIT_STATUS_LABELS).map(([value, label]) => ({ value, label })),
  { value: 'all', label: '全部状态' },
];

/** 机构编制台账: the units of the county as a searchable table and as a tree, now or on a day. */
export function RegistryPage() {
  const { param, asOf, invalid, pick, params, setParams } = useAsOf();
  const registry = useRegistry(asOf?.instant);
  const filter = useMemo(() => readFilter(params), [params]);
  const units = useMemo(() => registry.data ?? [], [registry.data]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const filterKey = JSON.stringify(filter);
  const keep = useCallback((u: UnitFigures) => matchesFilter(u, filter), [filter]);
  const shown = useMemo(() => units.filter(keep), [units, keep]);
  const active = units.filter((u) => u.status === 'active');
  const overCount = active.filter((u) => overQuota(u).length > 0).length;
  const postsCount = active.filter((u) => overPosts(u)).length;

  /** Filters change the URL in place (no history entry per keystroke); the date and the view are kept. */
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const view = params.get('view') === 'tree' ? 'tree' : 'table';

  return (
    <>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          机构编制台账
        </Typography.Title>
        <AsOfPicker value={asOf} onPick={pick} />
      </Space>
      <div style={{ height: 12 }} />
      <AsOfBanner asOf={asOf} invalid={invalid} onNow={() => pick(null)} />
      {registry.error && (
        <Alert type="error" showIcon title={problemSentence(registry.error)} style={{ marginBottom: 12 }} />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            allowClear
            aria-label="单位名称"
            placeholder="单位名称或加挂牌子"
            style={{ width: 220 }}
            defaultValue={filter.q}
            onChange={(e) => setFilter('q', e.target.value || undefined)}
          />
          <Select
            allowClear
            aria-label="机构类别"
            placeholder="机构类别"
            style={{ width: 130 }}
            value={filter.kind}
            onChange={(v?: string) => setFilter('kind', v)}
            options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <Select
            allowClear
            aria-label="机构规格"
            placeholder="机构规格"
            style={{ width: 130 }}
            value={filter.grade}
            onChange={(v?: string) => setFilter('grade', v)}
            options={Object.entries(GRADE_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <Select
            aria-label="状态"
            style={{ width: 110 }}
            value={filter.status}
            onChange={(v: string) => setFilter('status', v === 'active' ? undefined : v)}
            options={STATUS_OPTIONS}
          />
          <Checkbox checked={filter.over} onChange={(e) => setFilter('over', e.target.checked ? '1' : undefined)}>
            只看超编、超职数
          </Checkbox>
        </Space>
        {registry.data && (
          <div style={{ marginTop: 8 }} data-testid="registry-summary">
            <Typography.Text type="secondary">
              {asOf ? `${asOfText(asOf)} 时` : '现有'}正常单位 {active.length} 个
              {overCount > 0 && `，其中超编 ${overCount} 个`}
              {postsCount > 0 && `，超职数 ${postsCount} 个`}。
            </Typography.Text>
          </div>
        )}
      </Card>
      <Tabs
        activeKey={view}
        onChange={(k) => setFilter('view', k === 'tree' ? 'tree' : undefined)}
        items={[
          {
            key: 'table',
            label: '列表',
            children: (
              <RegistryTable
                units={shown}
                parentName={(id) => byId.get(id)?.name}
                asOfParam={param}
                loading={registry.isLoading}
              />
            ),
          },
          {
            key: 'tree',
            label: '隶属关系',
            children: registry.data ? (
              <RegistryTree
                key={`${filterKey}:${param}`}
                units={units}
                keep={keep}
                narrowed={isNarrowed(filter)}
                asOfParam={param}
              />
            ) : null,
          },
        ]}
      />
    </>
  );
}

/** 单位详情: a unit's figures, posts, sections, name plates and history, now or on a day. */
export function UnitPage() {
  const { id } = useParams();
  const { param, asOf, invalid, pick } = useAsOf();
  const unit = useUnit(id, asOf?.instant);
  const history = useUnitHistory(id);
  const u = unit.data;
  const parent = useUnit(u?.parentId, asOf?.instant);
  const mergedInto = useUnit(u?.status === 'merged' ? u.mergedInto : null, asOf?.instant);
  // The units under it, at the same moment (shared with the registry page's cache).
  const registry = useRegistry(asOf?.instant);
  const subordinates = (registry.data ?? []).filter((x) => x.parentId === id && x.status === 'active');
  const { name } = useUnits();
  // An id that is no unit's (400 for a malformed one) is "not found" to the reader.
  const notFound = unit.error instanceof ApiProblem && [400, 404].includes(unit.error.status);

  return (
    <>
      <Link to={`/registry${asOfQuery(param)}`}>← 机构编制台账</Link>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline', marginTop: 8 }}>
        <Space size={8} wrap align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="unit-name">
            {u?.name ?? '单位详情'}
          </Typography.Title>
          {u && <StatusTag status={u.status} />}
          {u && <OverTags unit={u} />}
        </Space>
        <AsOfPicker value={asOf} onPick={pick} />
      </Space>
      <div style={{ height: 12 }} />
      <AsOfBanner asOf={asOf} invalid={invalid} onNow={() => pick(null)} />
      {asOf && u?.version && (
        <Typography.Paragraph type="secondary" data-testid="version-in-force">
          当时有效的记录自 {chinaTime(u.version.validFrom)} 起，事由：{causeLabel(u.version.cause)}
          {u.version.documentNumber && `，批准文号 ${u.version.documentNumber}`}。
        </Typography.Paragraph>
      )}
      {notFound && (
        <Alert
          type="warning"
          showIcon
          data-testid="unit-not-found"
          title={asOf ? `${asOfText(asOf)} 时该单位尚未设立。` : '没有找到该单位。'}
          style={{ marginBottom: 12 }}
        />
      )}
      {unit.error && !notFound && (
        <Alert type="error" showIcon title={problemSentence(unit.error)} style={{ marginBottom: 12 }} />
      )}
      {unit.isLoading && <Card loading />}
      {u && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Card size="small" title="基本情况" loading={unit.isLoading}>
            <UnitFacts
              unit={u}
              parentName={parent.data?.name}
              mergedIntoName={mergedInto.data?.name}
              asOfParam={param}
            />
          </Card>
          <Card size="small" title="编制情况">
            <QuotaTable unit={u} />
          </Card>
          {subordinates.length > 0 && (
            <Card size="small" title={`下属单位（${subordinates.length}）`} data-testid="unit-subordinates">
              <Space wrap>
                {subordinates.map((s) => (
                  <Link key={s.id} to={`/registry/units/${s.id}${asOfQuery(param)}`}>
                    {s.name}
                  </Link>
                ))}
              </Space>
            </Card>
          )}
        </Space>
      )}
      {id && (u || (notFound && asOf)) && (
        <Card size="small" title="沿革" style={{ marginTop: 12 }}>
          {history.error ? (
            <Alert type="error" showIcon title={problemSentence(history.error)} />
          ) : (
            <HistoryTable
              unitId={id}
              entries={history.data ?? []}
              shown={asOf ? u?.version?.validFrom : undefined}
              unitName={name}
              loading={history.isLoading}
            />
          )}
        </Card>
      )}
    </>
  );
}
