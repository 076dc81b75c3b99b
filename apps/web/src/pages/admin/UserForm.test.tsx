import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../../api/client';
import { changesOf, UserForm, type User } from './UserForm';

// An account's form as the admin uses it: the rules beside the role picker, what the chosen roles would break said
// before sending, the API's refusal in words (never its code), and an edit that sends only what changed.

function wrap(node: ReactNode) {
  return render(
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <AntApp>{node}</AntApp>
    </ConfigProvider>,
  );
}

const units = [
  { id: 'u-health', name: '县卫生健康局', status: 'active' },
  { id: 'u-old', name: '县扶贫开发局', status: 'abolished' },
];

const clerk: User = {
  id: 'id-1',
  username: 'clerk_health',
  displayName: '张三',
  roles: ['clerk'],
  unitId: 'u-health',
  disabled: false,
  mustChangePassword: false,
};

const props = { units, onDone: vi.fn(), onCancel: vi.fn() };
const role = (label: string) => screen.getByRole('checkbox', { name: label });

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('a new account', () => {
  it('shows the rules of who may hold which roles beside the picker', () => {
    wrap(<UserForm {...props} onSubmit={vi.fn()} />);
    const rules = screen.getByTestId('role-rules').textContent!;
    expect(rules).toContain('管理员、安全管理员、审计管理员、审计员只能单独担任');
    expect(rules).toContain('审核人、编办主任不能兼任经办人、征求意见单位');
    expect(rules).toContain('经办人、征求意见单位须指定所在单位');
    expect(screen.queryByTestId('role-problems')).toBeNull();
  });

  it('says what the chosen roles would break before anything is sent', async () => {
    wrap(<UserForm {...props} onSubmit={vi.fn()} />);
    fireEvent.click(role('管理员'));
    fireEvent.click(role('经办人'));
    const problems = await screen.findByTestId('role-problems');
    expect(problems.textContent).toContain('管理员只能单独担任，不能兼任经办人。');
    expect(problems.textContent).toContain('经办人须指定所在单位。');
    fireEvent.click(role('管理员'));
    await waitFor(() => expect(screen.getByTestId('role-problems').textContent).not.toContain('管理员只能'));
  });

  it("sends the account and shows the API's refusal in words, with the rule it broke", async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValue(
        new ApiProblem(400, 'ROLE_CONFLICT', 'roles: auditor is held alone (三员分立): not with reviewer', [
          { field: 'roles', problem: 'auditor is held alone (三员分立): not with reviewer' },
        ]),
      );
    const { container } = wrap(<UserForm {...props} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'audit2' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: ' 李四 ' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'Initial-passw0rd' } });
    fireEvent.click(role('审计员'));
    fireEvent.click(role('审核人'));
    fireEvent.click(screen.getByRole('button', { name: '创建账号' }));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        username: 'audit2',
        password: 'Initial-passw0rd',
        displayName: '李四',
        roles: ['auditor', 'reviewer'],
      }),
    );
    const refusal = await screen.findByTestId('user-refusal');
    expect(refusal.textContent).toContain('所选角色不能由同一人兼任（三员分立、不相容职务分离）。');
    expect(refusal.textContent).toContain('审计员只能单独担任，不能兼任审核人。');
    expect(container.textContent).not.toContain('ROLE_CONFLICT');
    expect(props.onDone).not.toHaveBeenCalled();
  });

  it('says the password policy and a taken username beside their fields', async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiProblem(400, 'PASSWORD_POLICY', 'x', [{ field: 'password', problem: 'must be at least 10 characters' }]),
      )
      .mockRejectedValueOnce(new ApiProblem(409, 'USERNAME_TAKEN', 'x'));
    wrap(<UserForm {...props} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'clerk9' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '王五' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: '创建账号' }));
    await screen.findByText('至少 10 位');
    expect(screen.getByTestId('user-refusal').textContent).toContain('密码不符合要求');
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'Long-enough-1' } });
    fireEvent.click(screen.getByRole('button', { name: '创建账号' }));
    await screen.findByText('用户名已被使用');
  });
});

describe('an edit', () => {
  it('sends only what changed, and no roles when they did not', () => {
    const base = { displayName: '张三', roles: ['clerk'], unitId: 'u-health', disabled: false };
    expect(changesOf(clerk, base)).toEqual({});
    expect(changesOf(clerk, { ...base, roles: ['consultee', 'clerk'] })).toEqual({ roles: ['consultee', 'clerk'] });
    expect(changesOf(clerk, { ...base, unitId: undefined, disabled: true })).toEqual({ unitId: null, disabled: true });
    expect(changesOf(clerk, { ...base, displayName: ' 张三丰 ' })).toEqual({ displayName: '张三丰' });
  });

  it('offers only active units, and keeps one’s own roles out of reach', () => {
    wrap(<UserForm {...props} user={clerk} self onSubmit={vi.fn()} />);
    expect(role('经办人')).toHaveProperty('disabled', true);
    expect(screen.getByText('不能修改自己的角色，须由另一名管理员办理。')).toBeTruthy();
    expect(screen.getByText('clerk_health')).toBeTruthy();
    expect(screen.queryByLabelText('初始密码')).toBeNull();
  });

  it('adds a role from a preset (加入编委会) and sends it', async () => {
    const onSubmit = vi.fn().mockResolvedValue({});
    wrap(<UserForm {...props} user={clerk} presetRoles={['clerk', 'committee_member']} onSubmit={onSubmit} />);
    expect(role('编委会成员')).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ roles: ['clerk', 'committee_member'] }));
    await waitFor(() => expect(props.onDone).toHaveBeenCalled());
  });
});
