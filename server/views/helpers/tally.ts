import { COUNT_CAP } from '../../db/statements';

/** `{{tally n}}`: a count as people read it ("1,204"); a count that stopped at the cap reads "1,000 or more". */
export function tally(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const text = value.toLocaleString('en-GB');
  return value >= COUNT_CAP ? `${text} or more` : text;
}
