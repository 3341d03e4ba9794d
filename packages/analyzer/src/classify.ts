import type { Box } from '@roche/inference';

/** A labelled region before reading order: label (PP-DocLayout names), box, and how sure the analyzer is. */
export interface Classified {
  label: string;
  box: Box;
  score: number;
  /** Text of the lines inside, when they came from a PDF text layer. */
  text?: string;
}
