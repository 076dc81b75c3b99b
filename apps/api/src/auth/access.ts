import type { Role } from '@bianzhi/domain';

// Who may call which route: the one table the guards use and the access-matrix test checks, route by route
// and role by role. An empty list means every signed-in user (the service then limits what each one sees:
// a clerk its own unit's requests, a consultee those its unit was asked about, a 404 for the rest).

export const ANY_SIGNED_IN: Role[] = [];

export const ACCESS = {
  'GET /v1/users/me': ANY_SIGNED_IN,
  'GET /v1/users': ['admin'],
  'POST /v1/users': ['admin'],
  'PATCH /v1/users/:id': ['admin'],
  'GET /v1/committee': ANY_SIGNED_IN,
  'POST /v1/units': ['admin'],
  'GET /v1/units': ANY_SIGNED_IN,
  'GET /v1/units/:id': ANY_SIGNED_IN,
  'GET /v1/units/:id/history': ANY_SIGNED_IN,
  'PUT /v1/establishment/totals': ['admin'],
  'GET /v1/establishment/summary': ANY_SIGNED_IN,
  'POST /v1/registry/import': ['admin'],
  'POST /v1/change-requests': ['clerk'],
  'GET /v1/change-requests': ANY_SIGNED_IN,
  'GET /v1/change-requests/:id': ANY_SIGNED_IN,
  'GET /v1/change-requests/:id/audit': ANY_SIGNED_IN,
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
  'POST /v1/change-requests/preview': ['clerk'],
  'POST /v1/change-requests/:id/attachments': ['clerk'],
  'GET /v1/change-requests/:id/attachments': ANY_SIGNED_IN,
  'GET /v1/attachments/:id': ANY_SIGNED_IN,
  'GET /v1/work-items': ANY_SIGNED_IN,
  'GET /v1/work-items/done': ANY_SIGNED_IN,
  'GET /v1/audit': ['auditor'],
  'GET /v1/audit/verify': ['auditor'],
  'GET /v1/audit/checkpoint': ['auditor'],
  'GET /v1/audit/public-key': ['auditor'],
  'GET /v1/audit/proofs/inclusion': ['auditor'],
  'GET /v1/audit/proofs/consistency': ['auditor'],
} satisfies Record<string, Role[]>;

export type RouteKey = keyof typeof ACCESS;

/** Routes anyone may call, signed in or not. */
export const PUBLIC_ROUTES = ['POST /v1/auth/login', 'GET /health/live', 'GET /health/ready'];
