import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  documentKindOf,
  formatDocumentNumber,
  IssuedDocument,
  officeYear,
  refusedBy,
  stateWithDocument,
} from '@bianzhi/domain';
import { appendAudit } from '@bianzhi/audit';
import { renderDocument, requestFacts, requestPart } from '@bianzhi/documents';
import {
  ChangeRequestRepository,
  DocumentsRepository,
  ImplementationRepository,
  RegistryRepository,
} from '@bianzhi/persistence';
import type { ChangeRequestActivities } from '@bianzhi/workflows';
import { ActivityConfig, failingForGood } from './activity-config';
import { stepKey } from './trail.activities';

// Issuing a request's official document (公文, docs/domain.md "Official documents"): the facts gathered from the
// read model, the number taken from its series (a 批复 carries implementation's), the PDF rendered, stored and its
// SHA-256 recorded in the audit record of the step, all in one transaction, once per step.

export function createDocumentActivities(
  db: DataSource,
  config: ActivityConfig,
): Pick<ChangeRequestActivities, 'issueDocument'> {
  return {
    async issueDocument({ requestId, workflowId, runId, step, state }) {
      // A refusal of the database stalls the document at once for the office to see, as implementation does.
      return failingForGood(() =>
        db.transaction(async (em) => {
          const key = stepKey(workflowId, runId, step);
          const documents = new DocumentsRepository(em);
          const requests = new ChangeRequestRepository(em);
          // One attempt at a time per request: an attempt past its time-out and the next one do not both issue.
          await requests.lockForUpdate(requestId);
          const issued = await documents.byStepKey(key);
          if (issued) return issuedOf(issued);

          const row = await requests.getById(requestId);
          const kind = documentKindOf(row.type, state);
          if (!kind) throw new Error(`a request ${state.status} calls for no document`);
          // Issued by an attempt whose answer was lost, then recorded as stalled and retried under a later step: the
          // same document, and the read model follows the workflow to it (as implementation does).
          const earlier = await documents.ofRequestAndKind(requestId, kind);
          if (earlier) {
            const document = issuedOf(earlier);
            if (row.lastStep < step)
              await requests.setStep(requestId, step, new Date(), stateWithDocument(state, document));
            return document;
          }
          const at = new Date();
          let documentNumber: string;
          let issuedAt: string;
          if (kind === 'REJECTION_NOTICE') {
            // The notice's own number, from the refusing body's series: 编 for the committee, 编办 for the office.
            const year = officeYear(at.getTime(), config.utcOffsetHours);
            const series = refusedBy(state);
            const n = await new ImplementationRepository(em).nextDocumentNumber(series, year);
            documentNumber = formatDocumentNumber(config.officeCode, year, n, series);
            issuedAt = at.toISOString();
          } else {
            // A 批复 or 编制使用通知 bears implementation's number and date: the decision applied is the document.
            documentNumber = state.documentNumber!;
            issuedAt = state.implementedAt ?? at.toISOString();
          }
          const snapshot = await new RegistryRepository(em).snapshot();
          const facts = requestFacts({
            kind,
            countyName: config.countyName ?? '本县',
            documentNumber,
            issuedAt,
            state,
            ...requestPart(row, snapshot.units),
          });
          const rendered = await renderDocument(facts, { fontDirs: config.documentFontDirs });
          const document: IssuedDocument = {
            id: randomUUID(),
            kind,
            documentNumber,
            sha256: rendered.sha256,
            issuedAt,
          };
          await documents.insert({
            ...document,
            requestId,
            meetingId: null,
            title: rendered.title,
            fonts: rendered.fonts ?? null,
            size: rendered.pdf.byteLength,
            content: Buffer.from(rendered.pdf),
            facts,
            stepKey: key,
            issuedAt: new Date(issuedAt),
          });
          const after = stateWithDocument(state, document);
          // The record carries the facts and the hash: an auditor renders the document again from the trail alone.
          await appendAudit(em, {
            at,
            actor: 'system',
            actorId: 'system',
            role: 'system',
            action: 'document_issued',
            requestId,
            workflowId,
            runId,
            stepKey: key,
            before: state,
            after: {
              ...after,
              document: { ...document, title: rendered.title, fonts: rendered.fonts ?? null, facts },
            },
            comment: `${documentNumber} ${rendered.title} sha256:${rendered.sha256}`,
          });
          await requests.setStep(requestId, step, at, after);
          return document;
        }),
      );
    },
  };
}

function issuedOf(meta: {
  id: string;
  kind: string;
  documentNumber: string | null;
  sha256: string;
  issuedAt: Date;
}): IssuedDocument {
  return {
    id: meta.id,
    kind: meta.kind as IssuedDocument['kind'],
    documentNumber: meta.documentNumber ?? '',
    sha256: meta.sha256,
    issuedAt: meta.issuedAt.toISOString(),
  };
}
