import { ApiProblem, getToken } from './api/client';

// Files handed to the browser's downloads: one way for every page (exports, dossiers, PDFs, templates).

/** Hands a blob to the browser as a file to save. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked a moment later: some browsers start reading the blob only after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file of the API's (a PDF, an attachment) needs the bearer token: fetched, then saved; a refusal as ApiProblem. */
export async function saveFromApi(path: string, fileName: string): Promise<void> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${getToken()}` } });
  if (!res.ok) {
    const e = await res.json().catch(() => ({}));
    throw new ApiProblem(res.status, e.code, e.message ?? '');
  }
  saveBlob(await res.blob(), fileName);
}
