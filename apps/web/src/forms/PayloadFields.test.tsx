import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { Form, type FormInstance } from 'antd';
import { afterEach, describe, expect, it } from 'vitest';
import { FORM_TYPES, TYPE_LABELS } from '../domain/labels';
import { FORM_FIELDS } from './payloads';
import { PayloadFields } from './PayloadFields';
import { buildPayload } from './payloads';

// The forms as a person sees them: each type's fields by their Chinese labels, and the checks made before
// anything is sent.

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
