import type { Region } from '@roche/core';

/** `docbank_eval.py`'s PRED format: engine labels as they are; the scorer maps PP-DocLayout names to DocBank labels. */
export interface DocbankPred {
  images: Array<{
    file: string;
    width: number;
    height: number;
    regions: Array<{ label: string; score: number; bbox: [number, number, number, number] }>;
  }>;
}

/** Analyzer regions per page → the PRED file `../shared/tools/docbank_eval.py TOKENS.json PRED.json` scores. */
export function docbankPredictions(pages: Array<{ file: string; width: number; height: number; regions: Region[] }>): DocbankPred {
  return {
    images: pages.map((p) => ({
      file: p.file,
      width: p.width,
      height: p.height,
      regions: p.regions.map((r) => ({ label: r.label, score: r.score, bbox: [...r.box] as [number, number, number, number] })),
    })),
  };
}
