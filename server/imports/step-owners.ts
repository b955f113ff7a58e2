import type { Piece } from './build';
import { canonicalOwner, ownerLine, responsibleOwner } from './rules/owners';

/** Who a step's own text names as its owner, and how a section whose items name different owners splits. */

/** "Owner: X" lines and "X is responsible for" in a step's own text. */
export function ownerOfText(pieces: Piece[], known: readonly string[]): { owner: string | null; from: string | null; pieces: Piece[] } {
  let owner: string | null = null;
  let from: string | null = null;
  const kept: Piece[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'text' && owner === null && piece.owner === undefined) {
      const lines = piece.md.split('\n');
      const at = lines.findIndex((line) => ownerLine(line) !== null);
      if (at >= 0) {
        owner = canonicalOwner(ownerLine(lines[at] as string) as string, known);
        from = `the line “${lines[at]?.trim()}”`;
        lines.splice(at, 1);
        const rest = lines.join('\n').trim();
        if (rest !== '') kept.push({ ...piece, md: rest });
        continue;
      }
      const responsible = responsibleOwner(piece.md);
      if (responsible) {
        owner = canonicalOwner(responsible, known);
        from = `“${responsible} is responsible for”`;
      }
    }
    kept.push(piece);
  }
  return { owner, from, pieces: kept };
}

/** One step per run of items with the same owner; text goes with the items around it. */
export function splitByOwner(pieces: Piece[]): { owner: string | undefined; pieces: Piece[] }[] {
  const runs: { owner: string | undefined; pieces: Piece[]; checks: number }[] = [{ owner: undefined, pieces: [], checks: 0 }];
  for (const piece of pieces) {
    const run = runs[runs.length - 1] as (typeof runs)[number];
    if (piece.owner !== undefined && run.owner !== undefined && piece.owner !== run.owner && run.checks > 0) {
      runs.push({ owner: piece.owner, pieces: [piece], checks: piece.kind === 'check' ? 1 : 0 });
      continue;
    }
    if (piece.owner !== undefined && run.owner === undefined) run.owner = piece.owner;
    run.pieces.push(piece);
    if (piece.kind === 'check') run.checks++;
  }
  return runs;
}
