import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

// 系统管理's tabs by role (三员分立): the admin's five, the security admin's accounts and committee, nobody else's.

const roles = vi.hoisted(() => ({ now: [] as string[] }));
vi.mock('../session', () => ({
  useSession: () => ({ has: (...r: string[]) => r.some((x) => roles.now.includes(x)) }),
}));
vi.mock('./admin/UsersTab', () => ({ UsersTab: () => <p>users-tab</p> }));
vi.mock('./admin/CommitteeTab', () => ({ CommitteeTab: () => <p>committee-tab</p> }));
vi.mock('./admin/ImportTab', () => ({ ImportTab: () => <p>import-tab</p> }));
vi.mock('./admin/TotalsTab', () => ({ TotalsTab: () => <p>totals-tab</p> }));
vi.mock('./admin/PeopleImportTab', () => ({ PeopleImportTab: () => <p>people-import-tab</p> }));

const { AdminPage } = await import('./AdminPage');

const show = (who: string[], at = '/admin') => {
  roles.now = who;
  return render(
    <MemoryRouter initialEntries={[at]}>
      <AdminPage />
    </MemoryRouter>,
  );
};
const tabs = () => screen.queryAllByRole('tab').map((t) => t.textContent);

afterEach(cleanup);

describe('the administration page', () => {
  it('gives the admin the accounts, the committee, the imports and the totals; the tab from the address', () => {
    show(['admin'], '/admin?tab=import');
    expect(tabs()).toEqual(['用户与角色', '编委会组成', '台账导入', '人员导入', '编制总额']);
    expect(screen.getByText('import-tab')).toBeTruthy();
    cleanup();
    show(['admin'], '/admin?tab=people');
    expect(screen.getByText('people-import-tab')).toBeTruthy();
  });

  it('gives the security admin the accounts and the committee only', () => {
    show(['security_admin'], '/admin?tab=import');
    expect(tabs()).toEqual(['用户与角色', '编委会组成']);
    expect(screen.getByText('users-tab')).toBeTruthy();
  });

  it('says so to anyone else', () => {
    show(['auditor']);
    expect(tabs()).toEqual([]);
    expect(screen.getByText('您无权办理此项操作。')).toBeTruthy();
  });
});
