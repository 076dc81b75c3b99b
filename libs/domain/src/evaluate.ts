import { applyEffect, poolLoanDueDate } from './effects';
import { DiffEntry, diffRegistry } from './diff';
import { ChangeSpec } from './payloads';
import { PersonMove } from './people/person';
import { PoolLoan, RegistrySnapshot } from './registry';
import { checkInvariants, dueDateViolation } from './rules';
import { RuleViolation } from './violations';

export interface ChangeEvaluation {
  ok: boolean;
  violations: RuleViolation[];
  /** The registry as it would be after the change. */
  after: RegistrySnapshot;
  diff: DiffEntry[];
  /** Units whose quota, grade, posts, sections, name plates, name or status the change alters. */
  alteredUnitIds: string[];
  loansCreated: PoolLoan[];
  loansEnded: PoolLoan[];
  /** The people put on, taken off or moved (实名制). */
  personMoves: PersonMove[];
}

/** What a check needs besides the registry and the request. */
export interface EvaluationContext {
  /** Today in the office's time zone (YYYY-MM-DD): a loan's due date must lie after it (INVALID_DUE_DATE). */
  today?: string;
}

/**
 * The one check of a change against the registry, used at submission, at each revision and again at
 * implementation (docs/domain.md, "Rules and rule codes"): apply the effect, then check every invariant on the result.
 */
export function evaluateChange(
  before: RegistrySnapshot,
  spec: ChangeSpec,
  context: EvaluationContext = {},
): ChangeEvaluation {
  const effect = applyEffect(before, spec);
  const violations = [...effect.violations];
  if (effect.after !== before) violations.push(...checkInvariants(before, effect.after));
  const dueDate = poolLoanDueDate(spec);
  const badDueDate = dueDate === undefined ? null : dueDateViolation(dueDate, context.today);
  if (badDueDate) violations.push(badDueDate);
  const diff = effect.after === before ? [] : diffRegistry(before, effect.after);
  const alteredUnitIds = [...new Set(diff.filter((d) => d.scope === 'unit').map((d) => d.unitId!))];
  return {
    ok: violations.length === 0,
    violations,
    after: effect.after,
    diff,
    alteredUnitIds,
    loansCreated: effect.loansCreated,
    loansEnded: effect.loansEnded,
    personMoves: effect.personMoves,
  };
}
