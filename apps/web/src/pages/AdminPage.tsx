import { Typography } from 'antd';

/** 系统管理: users and roles, committee membership, the registry import, the county totals (issue 15). */
export function AdminPage() {
  return <Typography.Title level={4}>系统管理</Typography.Title>;
}
