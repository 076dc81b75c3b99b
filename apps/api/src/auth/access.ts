import type { Role } from '@bianzhi/domain';

// Who may call which route: the one table the guards use and the access-matrix test checks, route by route
// and role by role. An empty list means every signed-in user (the service then limits what each one sees:
// a clerk its own unit's requests, a consultee those its unit was asked about, a 404 for the rest).

export const ANY_SIGNED_IN: Role[] = [];

/**
 * Everyone with a part in the requests: not admin, security admin or audit admin (三员分立), who read no
 * request, work item or attachment (docs/api.md, "Sign-in and accounts").
 */
export const BUSINESS: Role[] = [
  'clerk',
  'reviewer',
  'consultee',
  'committee_member',
  'committee_chair',
  'higher_liaison',
  'auditor',
  'office_director',
];

/** Who reads committee meetings (编委会会议): the committee, the reviewers, the office director and auditors. */
export const MEETING_READERS: Role[] = [
  'committee_member',
  'committee_chair',
  'reviewer',
  'office_director',
  'auditor',
];

/** Who reads the county's figures (编制统计): the office, the committee's chair and auditors. */
export const OFFICE_READERS: Role[] = ['reviewer', 'office_director', 'committee_chair', 'auditor', 'admin'];

export const ACCESS = {
  'GET /v1/users/me': ANY_SIGNED_IN,
  'GET /v1/users': ['admin', 'security_admin'],
  'POST /v1/users': ['admin'],
  'PATCH /v1/users/:id': ['admin'],
  'POST /v1/users/:id/unlock': ['security_admin'],
  'POST /v1/users/:id/reset-password': ['security_admin'],
  'POST /v1/auth/password': ANY_SIGNED_IN,
  'POST /v1/auth/logout': ANY_SIGNED_IN,
  'POST /v1/auth/totp': ANY_SIGNED_IN,
  'POST /v1/auth/totp/confirm': ANY_SIGNED_IN,
  'GET /v1/security-events': ['audit_admin', 'auditor'],
  'GET /v1/security-events/verify': ['audit_admin', 'auditor'],
  'GET /v1/committee': ANY_SIGNED_IN,
  'POST /v1/units': ['admin'],
  'GET /v1/units': ANY_SIGNED_IN,
  'GET /v1/units/:id': ANY_SIGNED_IN,
  'GET /v1/units/:id/history': ANY_SIGNED_IN,
  'PUT /v1/establishment/totals': ['admin'],
  'GET /v1/establishment/summary': ANY_SIGNED_IN,
  'POST /v1/registry/import': ['admin'],
  'GET /v1/statistics/requests': OFFICE_READERS,
  'GET /v1/statistics/monthly': OFFICE_READERS,
  // 实名制: a clerk sees its own unit's people (and those under it); the office, the chair, auditors and the admin
  // the county's; ID numbers in full only to the office (PeopleService).
  'GET /v1/people': ['clerk', ...OFFICE_READERS],
  'GET /v1/people/:id': ['clerk', ...OFFICE_READERS],
  'POST /v1/people/import': ['admin'],
  'POST /v1/people/reconcile': ['reviewer', 'office_director', 'auditor'],
  'POST /v1/change-requests': ['clerk'],
  'GET /v1/change-requests': BUSINESS,
  'GET /v1/change-requests/:id': BUSINESS,
  'GET /v1/change-requests/:id/audit': BUSINESS,
  'GET /v1/change-requests/:id/replay': ['auditor'],
  'GET /v1/change-requests/:id/dossier': ['auditor'],
  'POST /v1/change-requests/:id/submit': ['clerk'],
  'POST /v1/change-requests/:id/withdraw': ['clerk'],
  'POST /v1/change-requests/:id/revise': ['clerk'],
  'POST /v1/change-requests/:id/consultations': ['reviewer'],
  'POST /v1/change-requests/:id/opinions': ['consultee'],
  'POST /v1/change-requests/:id/review': ['reviewer'],
  'POST /v1/change-requests/:id/votes': ['committee_member'],
  'POST /v1/change-requests/:id/close-vote': ['committee_chair'],
  'POST /v1/change-requests/:id/higher-decision': ['higher_liaison'],
  'POST /v1/change-requests/:id/decide': ['office_director'],
  'POST /v1/change-requests/:id/retry': ['office_director'],
  'POST /v1/change-requests/preview': ['clerk'],
  'POST /v1/change-requests/:id/attachments': ['clerk'],
  'GET /v1/change-requests/:id/attachments': BUSINESS,
  'GET /v1/attachments/:id': BUSINESS,
  'GET /v1/change-requests/:id/documents': BUSINESS,
  'GET /v1/change-requests/:id/approval-form': BUSINESS,
  'GET /v1/documents/:id': BUSINESS,
  'GET /v1/meetings/:id/documents': MEETING_READERS,
  'POST /v1/meetings': ['committee_chair'],
  'GET /v1/meetings': MEETING_READERS,
  'GET /v1/meetings/:id': MEETING_READERS,
  'POST /v1/meetings/:id/close': ['committee_chair'],
  'GET /v1/work-items': BUSINESS,
  'GET /v1/work-items/done': BUSINESS,
  'GET /v1/audit': ['auditor'],
  'GET /v1/audit/verify': ['auditor'],
  'GET /v1/audit/checkpoint': ['auditor'],
  'GET /v1/audit/checkpoints': ['auditor'],
  // Records not the application's are acknowledged by the audit administrator (三员分立: not the auditor who
  // reads the trail, not the administrators it audits; docs/architecture.md, "Records signed by the application").
  'POST /v1/audit/forged-records/acknowledgements': ['audit_admin'],
  'GET /v1/audit/public-key': ['auditor'],
  'GET /v1/audit/proofs/inclusion': ['auditor'],
  'GET /v1/audit/proofs/consistency': ['auditor'],
} satisfies Record<string, Role[]>;

export type RouteKey = keyof typeof ACCESS;

/** Routes anyone may call, signed in or not. */
export const PUBLIC_ROUTES = ['POST /v1/auth/login', 'GET /health/live', 'GET /health/ready'];
