import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';
import { useActionKey } from '../../components';
import { problemSentence } from '../../domain/errors';
import { isJsonFile } from './importReport';

// The two steps of an import the API checks whole (?dryRun=true, then the same bytes for real), shared by the
// registry's import (台账导入) and the people's (人员导入): a file picked is checked at once; only a file that
// passed is imported, under one Idempotency-Key; a refusal shows the API's problems as the page words them.

export interface PickedFile {
  name: string;
  text: string;
  format: 'csv' | 'json';
}

export type ImportOutcome<R, L> =
  | { kind: 'checked'; result: R }
  | { kind: 'refused'; lines: L[]; sentence: string }
  | { kind: 'failed'; sentence: string }
  | { kind: 'imported'; result: R };

export function useCheckedImport<R, L>(opts: {
  /** Sends the file as it was read; `dryRun` checks without writing. */
  send: (file: PickedFile, dryRun: boolean, key?: string) => Promise<R>;
  /** The API's problems (400 VALIDATION_FAILED details) as the page's lines. */
  report: (details: ApiProblem['details'], format: PickedFile['format']) => L[];
  /** The queries an import makes stale. */
  invalidates: string[];
}) {
  const client = useQueryClient();
  const key = useActionKey();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome<R, L> | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);

  const refusal = (e: unknown, f: PickedFile): ImportOutcome<R, L> =>
    e instanceof ApiProblem && e.code === 'VALIDATION_FAILED' && e.details.length
      ? { kind: 'refused', lines: opts.report(e.details, f.format), sentence: problemSentence(e) }
      : { kind: 'failed', sentence: problemSentence(e) };

  const check = async (f: PickedFile) => {
    setBusy('check');
    setOutcome(null);
    try {
      setOutcome({ kind: 'checked', result: await opts.send(f, true) });
    } catch (e) {
      setOutcome(refusal(e, f));
    } finally {
      setBusy(null);
    }
  };

  const pick = async (raw: File) => {
    const text = await raw.text();
    const f: PickedFile = { name: raw.name, text, format: isJsonFile(raw.name, text) ? 'json' : 'csv' };
    setFile(f);
    key.done(); // another file is another import
    await check(f);
  };

  const confirm = async () => {
    if (!file) return;
    setBusy('import');
    try {
      const result = await opts.send(file, false, key.get());
      key.done();
      setOutcome({ kind: 'imported', result });
      await Promise.all(opts.invalidates.map((k) => client.invalidateQueries({ queryKey: [k] })));
    } catch (e) {
      if (e instanceof ApiProblem && e.status > 0 && e.status < 500) key.done();
      // The registry or the records may have moved since the check: the import answers the same report.
      setOutcome(refusal(e, file));
    } finally {
      setBusy(null);
    }
  };

  const step = !file ? 0 : outcome?.kind === 'imported' ? 3 : outcome?.kind === 'checked' ? 2 : 1;
  return { file, outcome, busy, check, pick, confirm, step };
}
