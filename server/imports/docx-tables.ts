import type { Block, Inline } from './docx-blocks';

interface OpenTable {
  rows: Inline[][][];
  row: Inline[][] | null;
  cell: Inline[] | null;
  /** The cell is merged into the one above it. */
  merged: boolean;
  /** The row is marked deleted (a tracked change). */
  skipRow: boolean;
}

/**
 * Word's tables as they stream past: each holds its rows, each row its cells, each cell its
 * paragraphs' text. Tables nest; a table inside a cell becomes that cell's text.
 */
export class TableStack {
  private readonly open: OpenTable[] = [];

  private get current(): OpenTable | undefined {
    return this.open[this.open.length - 1];
  }

  openTable(): void {
    this.open.push({ rows: [], row: null, cell: null, merged: false, skipRow: false });
  }

  openRow(): void {
    const table = this.current;
    if (!table) return;
    table.row = [];
    table.skipRow = false;
  }

  openCell(): void {
    const table = this.current;
    if (!table) return;
    table.cell = [];
    table.merged = false;
  }

  mergedAbove(): void {
    const table = this.current;
    if (table?.cell) table.merged = true;
  }

  /** A deletion in a row's properties (before its first cell) marks the whole row deleted. */
  deleted(): void {
    const table = this.current;
    if (table?.row && !table.cell) table.skipRow = true;
  }

  /** Adds a finished block to the cell being read; false when no cell is open. */
  addToCell(block: Block): boolean {
    const cell = this.current?.cell;
    if (!cell) return false;
    // A cell keeps its paragraphs' text, one after the other, and a table's cells, apart.
    const parts = block.kind === 'table' ? block.rows.flat().filter((inlines) => inlines.length > 0) : [block.inlines];
    for (const inlines of parts) {
      if (cell.length > 0) cell.push({ text: ' ' });
      for (const inline of inlines) cell.push(inline);
    }
    return true;
  }

  closeCell(): void {
    const table = this.current;
    if (!table) return;
    // A cell merged into the one above it stays, empty, so that the columns stay in line.
    if (table.cell && table.row) table.row.push(table.merged ? [] : table.cell);
    table.cell = null;
  }

  closeRow(): void {
    const table = this.current;
    if (!table) return;
    if (table.row && !table.skipRow) table.rows.push(table.row);
    table.row = null;
  }

  /** The finished table, or null when it had no rows. */
  closeTable(): Block | null {
    const table = this.open.pop();
    return table && table.rows.length > 0 ? { kind: 'table', rows: table.rows } : null;
  }
}
