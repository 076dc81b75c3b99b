import { Alert, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useSession } from '../session';
import { CommitteeTab } from './admin/CommitteeTab';
import { ImportTab } from './admin/ImportTab';
import { PeopleImportTab } from './admin/PeopleImportTab';
import { TotalsTab } from './admin/TotalsTab';
import { UsersTab } from './admin/UsersTab';

/**
 * 系统管理: users and roles, committee membership, the registry import, the people import (实名制, issue 16), the
 * county totals (issue 15). The admin sees all five; the security admin (三员分立) the accounts, to unlock and
 * reset, and the committee, read only.
 * The tab is in the address (?tab=import), so a reload or a link keeps it.
 */
export function AdminPage() {
  const s = useSession();
  const [params, setParams] = useSearchParams();
  if (!s.has('admin', 'security_admin')) return <Alert type="error" showIcon title="您无权办理此项操作。" />;
  const isAdmin = s.has('admin');
  const items = [
    { key: 'users', label: '用户与角色', children: <UsersTab /> },
    { key: 'committee', label: '编委会组成', children: <CommitteeTab /> },
    ...(isAdmin
      ? [
          { key: 'import', label: '台账导入', children: <ImportTab /> },
          { key: 'people', label: '人员导入', children: <PeopleImportTab /> },
          { key: 'totals', label: '编制总额', children: <TotalsTab /> },
        ]
      : []),
  ];
  const asked = params.get('tab');
  const active = items.some((i) => i.key === asked) ? asked! : 'users';
  return (
    <>
      <Typography.Title level={4}>系统管理</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(tab) => setParams({ tab }, { replace: true })}
        items={items}
        destroyOnHidden
      />
    </>
  );
}
