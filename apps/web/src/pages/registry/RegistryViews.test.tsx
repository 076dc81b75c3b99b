import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnitHistoryEntry, UnitView } from './data';
import { matchesFilter, type UnitFigures } from './model';
import { RegistryTable, RegistryTree } from './RegistryViews';
import { HistoryTable, QuotaTable, UnitFacts } from './UnitParts';

// The registry's views as the office sees them: marks in red, links that keep the date, the tree opened down to
// a match, a unit's figures and its history with the approving document's number.

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const view = (over: Partial<UnitView>): UnitView => ({
  id: 'x',
  name: 'x',
  kind: 'GOVERNMENT',
  grade: 'SECTION',
  parentId: null,
  funding: null,
  creditCode: null,
  status: 'active',
  mergedInto: null,
  quotas: { ...zero },
  occupied: { ...zero },
  pending: { ...zero },
  loaned: { ...zero },
  vacant: { ...zero },
  actualVacant: { ...zero },
  leadershipPosts: [],
  sections: [],
  namePlates: [],
  corrections: { overQuota: [], overPosts: null },
  ...over,
});

const housing = view({
  id: 'housing',
  name: '县住房和城乡建设局',
  quotas: { ...zero, ADMIN: 12 },
  occupied: { ...zero, ADMIN: 13 },
  vacant: { ...zero, ADMIN: -1 },
  actualVacant: { ...zero, ADMIN: -1 },
  leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  namePlates: ['县人民防空办公室'],
  corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: null }, // as the API marks it
});
const finance = view({
  id: 'finance',
  name: '县财政局',
  quotas: { ...zero, ADMIN: 20 },
  occupied: { ...zero, ADMIN: 18 },
});
const centre = view({
  id: 'centre',
  name: '县住房保障服务中心',
  kind: 'PUBLIC_INSTITUTION',
  parentId: 'housing',
  quotas: { ...zero, PUBLIC_INSTITUTION: 5 },
  occupied: { ...zero, PUBLIC_INSTITUTION: 5 },
});
const party = view({ id: 'org', name: '县委组织部', kind: 'PARTY' });

function wrap(node: ReactNode) {
  return render(
    <ConfigProvider virtual={false}>
      <MemoryRouter>{node}</MemoryRouter>
    </ConfigProvider>,
  );
}
afterEach(cleanup);

describe('the registry table', () => {
  it('shows 核定/实有 per category, marks a unit over quota in red and links to its page at the same date', () => {
    wrap(
      <RegistryTable units={[housing, finance] as UnitFigures[]} parentName={() => undefined} asOfParam="2026-05-01" />,
    );
    const row = screen.getByText('县住房和城乡建设局').closest('tr')!;
    expect(within(row).getByTestId('quota-ADMIN').textContent).toBe('12/13');
    expect(within(row).getByTestId('over-quota').textContent).toBe('超编');
    expect(within(row).getByText('加挂：县人民防空办公室')).toBeTruthy();
    expect(screen.getByText('县住房和城乡建设局').closest('a')!.getAttribute('href')).toBe(
      '/registry/units/housing?asOf=2026-05-01',
    );
    const other = screen.getByText('县财政局').closest('tr')!;
    expect(within(other).queryByTestId('over-quota')).toBeNull();
    expect(screen.getByText('共 2 个单位')).toBeTruthy();
  });
});

describe('the tree', () => {
  const units = [centre, party, finance, housing] as UnitFigures[];

  it('groups the top units by kind and keeps subordinates closed at first', () => {
    wrap(<RegistryTree units={units} keep={(u) => matchesFilter(u, {})} narrowed={false} />);
    expect(screen.getByText('党委机构（1）')).toBeTruthy();
    expect(screen.getByText('政府机构（3）')).toBeTruthy();
    expect(screen.getByText('县住房和城乡建设局')).toBeTruthy();
    expect(screen.queryByText('县住房保障服务中心')).toBeNull(); // under a closed branch: not drawn
    expect(screen.getByText(/下属 1 个/)).toBeTruthy();
  });

  it('opens the branches down to what a search finds', () => {
    wrap(<RegistryTree units={units} keep={(u) => matchesFilter(u, { q: '保障' })} narrowed />);
    expect(screen.getByText('县住房保障服务中心')).toBeTruthy();
    expect(screen.getByText('县住房和城乡建设局')).toBeTruthy(); // its superior, for context
    expect(screen.queryByText('县财政局')).toBeNull();
    expect(screen.queryByText('县委组织部')).toBeNull();
  });

  it('opens a closed branch on request', () => {
    const { container } = wrap(<RegistryTree units={units} keep={(u) => matchesFilter(u, {})} narrowed={false} />);
    const node = screen.getByText('县住房和城乡建设局').closest('.ant-tree-treenode')!;
    fireEvent.click(node.querySelector('.ant-tree-switcher')!);
    expect(within(container).getByText('县住房保障服务中心')).toBeTruthy();
  });
});

describe("a unit's page", () => {
  it('shows the figures per category, marks the excess, and leaves out empty categories', () => {
    wrap(<QuotaTable unit={housing} />);
    const row = screen.getByText('行政编制').closest('tr')!;
    expect(within(row).getByTestId('quotas').textContent).toBe('12');
    expect(within(row).getByTestId('occupied').textContent).toBe('13');
    expect(within(row).getByTestId('actualVacant').textContent).toBe('-1');
    expect(within(row).getByTestId('over-quota-row')).toBeTruthy();
    expect(screen.queryByText('事业编制')).toBeNull();
  });

  it('shows the facts with the parent linked and the posts against their limit', () => {
    wrap(
      <UnitFacts
        unit={{
          ...centre,
          leadershipPosts: [{ grade: 'SECTION', principal: 3, deputy: 3 }],
          corrections: { overQuota: [], overPosts: { posts: 6, limit: 5, by: 1 } },
        }}
        parentName="县住房和城乡建设局"
      />,
    );
    expect(screen.getByText('县住房和城乡建设局').closest('a')!.getAttribute('href')).toBe('/registry/units/housing');
    expect(screen.getByText('正科 3正3副')).toBeTruthy();
    expect(screen.getByTestId('over-posts').textContent).toBe('超职数：超过事业编制与中小学教职工编制 5 名');
    expect(screen.getByText('未登记')).toBeTruthy();
  });

  it('lists the history newest first, with the cause, the change, the document number and the request', () => {
    const entries: UnitHistoryEntry[] = [
      {
        validFrom: '2026-05-01T01:00:00.000Z',
        validTo: '2026-05-02T02:00:00.000Z',
        cause: 'import',
        requestId: null,
        documentNumber: null,
        unit: housing,
      },
      {
        validFrom: '2026-05-02T02:00:00.000Z',
        validTo: null,
        cause: 'request',
        requestId: 'r1',
        documentNumber: '清编〔2026〕3号',
        unit: { ...housing, quotas: { ...zero, ADMIN: 14 } },
      },
    ];
    wrap(<HistoryTable unitId="housing" entries={entries} />);
    const rows = screen.getByTestId('unit-history').querySelectorAll('tr.ant-table-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByText('行政编制核定：12 → 14')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('批准事项实施')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByTestId('document-number').textContent).toBe('清编〔2026〕3号');
    expect(
      within(rows[0] as HTMLElement)
        .getByText('查看事项')
        .closest('a')!
        .getAttribute('href'),
    ).toBe('/requests/r1');
    expect(within(rows[0] as HTMLElement).getByTestId('version-shown').textContent).toBe('现行');
    expect(within(rows[0] as HTMLElement).getByText('2026-05-02 10:00')).toBeTruthy(); // China time
    expect(within(rows[1] as HTMLElement).getByText('建立台账记录')).toBeTruthy();
    expect(
      within(rows[1] as HTMLElement)
        .getByTestId('view-version')
        .getAttribute('href'),
    ).toBe(`/registry/units/housing?asOf=${encodeURIComponent('2026-05-01T01:00:00.000Z')}`);
  });
});
