import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Form, type FormInstance } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FORM_TYPES, TYPE_LABELS } from '../domain/labels';
import { FORM_FIELDS } from './payloads';
import { PayloadFields } from './PayloadFields';
import { buildPayload } from './payloads';

// The forms as a person sees them: each type's fields by their Chinese labels, and the checks made before
// anything is sent.

// The person pickers (下编, 调动) search GET /v1/people: here, the clerk's unit has one person on.
const PEOPLE = [
  {
    id: '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0101',
    name: '王建国',
    idNumberMasked: '1101**********002X',
    unitId: '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0001',
    category: 'ADMIN',
    status: 'on',
    since: '2026-01-01T00:00:00.000Z',
  },
];
const searched = vi.hoisted(() => [] as unknown[]);
vi.mock('../api/client', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api/client')>();
  return {
    ...real,
    api: {
      GET: async (path: string, init: { params?: { query?: Record<string, unknown> } }) => {
        searched.push({ path, query: init?.params?.query });
        const data = path === '/v1/people' ? { items: PEOPLE, total: 1, page: 1, pageSize: 20 } : PEOPLE[0];
        return { data, response: new Response(null, { status: 200 }) };
      },
    },
  };
});

const UNITS = [
  { id: '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0001', name: '县财政局', status: 'ACTIVE', quotas: {}, occupied: {} },
  { id: '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0002', name: '县卫生健康局', status: 'ACTIVE', quotas: {}, occupied: {} },
];

function renderForm(type: (typeof FORM_TYPES)[number], initial?: object): { form: () => FormInstance } {
  const queries = new QueryClient();
  queries.setQueryData(['units'], UNITS);
  let instance: FormInstance | null = null;
  function Harness() {
    const [form] = Form.useForm();
    instance = form;
    return (
      <Form form={form} initialValues={initial}>
        <PayloadFields type={type} />
      </Form>
    );
  }
  render(
    <QueryClientProvider client={queries}>
      <Harness />
    </QueryClientProvider>,
  );
  return { form: () => instance! };
}

afterEach(cleanup);

describe('PayloadFields', () => {
  it.each(FORM_TYPES)('%s shows every field of its payload by its Chinese label', (type) => {
    renderForm(type);
    for (const f of FORM_FIELDS[type]) expect(screen.getAllByText(f.label).length).toBeGreaterThan(0);
    expect(TYPE_LABELS[type]).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses an empty form before sending, naming each missing field', async () => {
    const { form } = renderForm('USE_QUOTA');
    const failed = await form()
      .validateFields()
      .catch((e: { errorFields: { name: (string | number)[]; errors: string[] }[] }) => e.errorFields);
    expect(Array.isArray(failed) && failed.map((f) => f.name.join('.'))).toEqual([
      'payload.unitId',
      'payload.category',
      'payload.count',
    ]);
  });

  it('refuses a zero adjustment', async () => {
    const { form } = renderForm('ADJUST_QUOTA', {
      payload: { unitId: UNITS[0].id, category: 'ADMIN', delta: 0 },
    });
    const failed = await form()
      .validateFields()
      .catch((e: { errorFields: { errors: string[] }[] }) => e.errorFields);
    expect(JSON.stringify(failed)).toContain('不能为 0');
  });

  it('prefills a saved payload (revise after a return) and gives it back unchanged', async () => {
    const saved = { lines: [{ fromUnitId: UNITS[0].id, toUnitId: UNITS[1].id, category: 'ADMIN', count: 2 }] };
    const { form } = renderForm('TRANSFER_QUOTA', { payload: saved });
    const values = await form().validateFields();
    expect(buildPayload('TRANSFER_QUOTA', values.payload)).toEqual(saved);
  });
});

describe('the people forms (实名制)', () => {
  const errorsOf = async (form: FormInstance) =>
    form
      .validateFields()
      .then(() => [])
      .catch((e: { errorFields: { name: (string | number)[]; errors: string[] }[] }) => e.errorFields);

  it('checks the ID number’s check character in the browser, in words', async () => {
    const { form } = renderForm('ENROL_PERSON', {
      payload: {
        unitId: UNITS[0].id,
        category: 'ADMIN',
        channel: 'RECRUITED',
        person: { name: '张三', idNumber: '110105194912310021' },
      },
    });
    const failed = await errorsOf(form());
    expect(failed.map((f) => [f.name.join('.'), f.errors])).toEqual([
      ['payload.person.idNumber', ['校验码不符：末位是 1，按前 17 位应为 X，请核对号码']],
    ]);
    form().setFieldValue(['payload', 'person', 'idNumber'], '11010519491231002x');
    expect(await errorsOf(form())).toEqual([]);
  });

  it('takes a batch pasted as rows and shows each row as it will be sent, problems beside', async () => {
    const { form } = renderForm('ENROL_PERSON', {
      payload: { unitId: UNITS[0].id, category: 'ADMIN', channel: 'RECRUITED' },
    });
    fireEvent.click(screen.getByText('多人（粘贴名单）'));
    const paste = await screen.findByPlaceholderText(/张三,11010519491231002X/);
    fireEvent.change(paste, { target: { value: '张三,11010519491231002X\n李四,440524188001010015' } });
    await screen.findByText('共 2 人，其中 1 行有问题，请修改后再提交。');
    expect(screen.getByText('1101**********002X')).toBeTruthy();
    const failed = await errorsOf(form());
    expect(failed.map((f) => f.name.join('.'))).toEqual(['payload.batch']);
    expect(failed[0].errors[0]).toBe('第 2 行（李四）：校验码不符：末位是 5，按前 17 位应为 4，请核对号码');
    fireEvent.change(paste, { target: { value: '张三,11010519491231002X\n李四,440524188001010014' } });
    await screen.findByText('共 2 人，均已通过校验。');
    expect(await errorsOf(form())).toEqual([]);
  });

  it('finds the person to take off among the unit’s people on, by name', async () => {
    searched.length = 0;
    const { form } = renderForm('DISENROL_PERSON');
    await waitFor(() => expect(searched).toContainEqual({ path: '/v1/people', query: { status: 'on', pageSize: 20 } }));
    const failed = await errorsOf(form());
    expect(failed.map((f) => f.name.join('.'))).toEqual(['payload.personId', 'payload.reason', 'payload.date']);
  });

  it('fills in a transfer’s category from the person picked', async () => {
    const { form } = renderForm('TRANSFER_PERSON');
    const picker = document.getElementById('payload_personId')!;
    fireEvent.mouseDown(picker);
    fireEvent.click(await screen.findByText('王建国（1101**********002X） · 县财政局 行政编制'));
    await waitFor(() => expect(form().getFieldValue(['payload', 'category'])).toBe('ADMIN'));
    expect(form().getFieldValue(['payload', 'personId'])).toBe(PEOPLE[0].id);
  });

  it('names the person already chosen (a returned request revised)', async () => {
    renderForm('TRANSFER_PERSON', { payload: { personId: PEOPLE[0].id, toUnitId: UNITS[1].id, category: 'ADMIN' } });
    await screen.findByText('王建国（1101**********002X） · 县财政局 行政编制');
  });
});
