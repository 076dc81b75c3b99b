import { Alert, Tabs, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useSession } from '../session';
import { MONTHLY_READERS, PEOPLE_READERS, RECONCILERS } from './people/access';
import { MonthlyTab } from './people/MonthlyTab';
import { ReconcileTab } from './people/ReconcileTab';
import { RosterTab } from './people/RosterTab';

export { PersonPage } from './people/PersonPage';

// 实名制 (issue 16): the people on the establishment (人员名册), the monthly report (月报) and the reconciliation of a
// roster (核查), each at its own address (/people, /people/monthly, /people/reconcile) and offered to the roles the
// API lets read it. A person's page is /people/:id; the people's requests (上编, 下编, 调动) are filed from 新建申请.

const TABS = [
  { key: 'roster', path: '/people', label: '人员名册', roles: PEOPLE_READERS },
  { key: 'monthly', path: '/people/monthly', label: '月报', roles: MONTHLY_READERS },
  { key: 'reconcile', path: '/people/reconcile', label: '核查', roles: RECONCILERS },
] as const;

export function PeoplePage({ tab }: { tab: (typeof TABS)[number]['key'] }) {
  const s = useSession();
  const nav = useNavigate();
  const offered = TABS.filter((t) => s.has(...t.roles));
  if (!offered.some((t) => t.key === tab)) return <Alert type="error" showIcon title="您无权办理此项操作。" />;
  const content = { roster: <RosterTab />, monthly: <MonthlyTab />, reconcile: <ReconcileTab /> }[tab];
  return (
    <>
      <Typography.Title level={4}>实名制管理</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => nav(TABS.find((t) => t.key === k)!.path)}
        items={offered.map((t) => ({ key: t.key, label: t.label }))}
      />
      {content}
    </>
  );
}
