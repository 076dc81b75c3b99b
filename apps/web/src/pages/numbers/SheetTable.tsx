import { App, Button, Space, Table } from 'antd';
import { useState } from 'react';
import { saveBlob } from '../../download';
import { csvBlob, exportFileName, sheetData, xlsxBlob, type Sheet } from './sheet';

interface Props<R> {
  sheet: Sheet<R>;
  /** Prefix of each cell's data-testid: `<testId>-<rowKey>-<column key>`, and the table's own. */
  testId: string;
  loading?: boolean;
  empty?: string;
  /** Rows drawn bold (合计). */
  strong?: (row: R) => boolean;
}

/** A table of the numbers page, cell by cell as it is exported. */
export function SheetTable<R extends object>({ sheet, testId, loading, empty, strong }: Props<R>) {
  return (
    <Table<R>
      data-testid={testId}
      size="small"
      rowKey={sheet.rowKey}
      loading={loading}
      dataSource={sheet.rows}
      pagination={sheet.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      scroll={{ x: true }}
      locale={empty ? { emptyText: empty } : undefined}
      onRow={(r) => (strong?.(r) ? { style: { fontWeight: 600 } } : {})}
      columns={sheet.columns.map((c) => ({
        key: c.key,
        title: c.title,
        align: sheet.rows.length && typeof c.value(sheet.rows[0]) === 'number' ? ('right' as const) : undefined,
        render: (_: unknown, r: R) => (
          <span data-testid={`${testId}-${sheet.rowKey(r)}-${c.key}`}>{c.render ? c.render(r) : c.value(r)}</span>
        ),
      }))}
    />
  );
}

/** 导出 CSV / 导出 Excel of one table, the file named after it and the date its figures stand at. */
export function ExportButtons<R>({ sheet, date, testId }: { sheet: Sheet<R>; date: string; testId: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const disabled = sheet.rows.length === 0;
  const excel = async () => {
    setBusy(true);
    try {
      saveBlob(await xlsxBlob(sheet.name, sheetData(sheet)), exportFileName(sheet.name, date, 'xlsx'));
    } catch {
      message.error('导出 Excel 文件失败，请重试。');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space size={4}>
      <Button
        size="small"
        disabled={disabled}
        data-testid={`${testId}-csv`}
        onClick={() => saveBlob(csvBlob(sheetData(sheet)), exportFileName(sheet.name, date, 'csv'))}
      >
        导出 CSV
      </Button>
      <Button size="small" disabled={disabled} loading={busy} data-testid={`${testId}-xlsx`} onClick={excel}>
        导出 Excel
      </Button>
    </Space>
  );
}
