// Who reads what of 实名制 (apps/api/src/auth/access.ts): the menu and the page's tabs follow the API's table, so a
// tab a role may not use is not offered.

/** GET /v1/people, /v1/people/:id: a clerk its own unit's people (and those under it), the office the county's. */
export const PEOPLE_READERS = ['clerk', 'reviewer', 'office_director', 'committee_chair', 'auditor', 'admin'];
/** GET /v1/statistics/monthly (月报). */
export const MONTHLY_READERS = ['reviewer', 'office_director', 'committee_chair', 'auditor', 'admin'];
/** POST /v1/people/reconcile (核查). */
export const RECONCILERS = ['reviewer', 'office_director', 'auditor'];
