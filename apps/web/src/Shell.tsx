import { Badge, Button, Grid, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ROLE_LABELS } from './domain/labels';
import { LoginPage } from './pages/LoginPage';
import { NewRequestPage } from './pages/NewRequestPage';
import { RequestPage } from './pages/RequestPage';
import { DoneList, TodoList, useWorkItems } from './pages/WorkLists';
import { AdminPage } from './pages/AdminPage';
import { AuditPage } from './pages/AuditDesk';
import { StatisticsPage } from './pages/NumbersPage';
import { RegistryPage, UnitPage } from './pages/RegistryPage';
import { PeoplePage, PersonPage } from './pages/PeoplePage';
import { PEOPLE_READERS } from './pages/people/access';
import { SessionProvider, useSession } from './session';

export function Shell() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

function Gate() {
  const s = useSession();
  if (s.loading) return <Spin fullscreen />;
  if (!s.me) return <LoginPage />;
  return <Console />;
}

const OFFICE = ['reviewer', 'office_director', 'committee_chair', 'auditor', 'admin'];

function Console() {
  const s = useSession();
  const me = s.me!;
  const nav = useNavigate();
  const where = useLocation();
  const screens = Grid.useBreakpoint();
  const todo = useWorkItems();
  const items = [
    {
      key: '/todo',
      label: (
        <span>
          待办事项 <Badge count={todo.data?.total ?? 0} size="small" showZero={false} />
        </span>
      ),
    },
    { key: '/done', label: '已办事项' },
    ...(s.has('clerk') ? [{ key: '/new', label: '新建申请' }] : []),
    ...(s.has(...OFFICE)
      ? [
          { key: '/registry', label: '机构编制台账' },
          { key: '/statistics', label: '编制统计' },
        ]
      : []),
    // 实名制: a clerk its own unit's people, the office the county's (the admin, who imports them, too)
    ...(s.has(...PEOPLE_READERS) ? [{ key: '/people', label: '实名制' }] : []),
    ...(s.has('auditor') ? [{ key: '/audit', label: '审计' }] : []),
    ...(s.has('admin', 'security_admin') ? [{ key: '/admin', label: '系统管理' }] : []),
  ];
  const selected = items.find((i) => where.pathname.startsWith(i.key))?.key ?? '/todo';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 12, padding: screens.md ? '0 24px' : '0 8px' }}
      >
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          编制流程 · 工作台
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[selected]}
          items={items}
          onClick={(e) => nav(e.key)}
          style={{ flex: 1, minWidth: 0 }}
        />
        <Space size={4} wrap={false}>
          <Typography.Text style={{ color: '#fff' }} data-testid="me">
            {me.displayName}
          </Typography.Text>
          {screens.md && me.roles.map((r) => <Tag key={r}>{ROLE_LABELS[r] ?? r}</Tag>)}
          <Button size="small" onClick={() => s.signOut()}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: screens.md ? 24 : 8, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Routes>
          <Route path="/" element={<Navigate to="/todo" replace />} />
          <Route path="/todo" element={<TodoList />} />
          <Route path="/done" element={<DoneList />} />
          <Route path="/new" element={<NewRequestPage />} />
          <Route path="/registry" element={<RegistryPage />} />
          <Route path="/registry/units/:id" element={<UnitPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route path="/statistics" element={<StatisticsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/people" element={<PeoplePage tab="roster" />} />
          <Route path="/people/monthly" element={<PeoplePage tab="monthly" />} />
          <Route path="/people/reconcile" element={<PeoplePage tab="reconcile" />} />
          <Route path="/people/:id" element={<PersonPage />} />
          <Route path="/requests/:id" element={<RequestPage />} />
          <Route path="*" element={<Navigate to="/todo" replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}
