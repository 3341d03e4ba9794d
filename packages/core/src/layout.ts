import { z } from 'zod';

/** `[x1, y1, x2, y2]` in page pixels, x2 > x1 and y2 > y1. */
export const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Box = z.infer<typeof Box>;

/**
 * Region labels follow PP-DocLayout's names so results look the same whichever engine made them.
 * Engines may emit any of these; `commonLabel` maps them to a small taxonomy for consumers.
 */
export const PP_DOCLAYOUT_LABELS = [
  'paragraph_title',
  'image',
  'text',
  'number',
  'abstract',
  'content',
  'figure_title',
  'formula',
  'table',
  'table_title',
  'reference',
  'doc_title',
  'footnote',
  'header',
  'algorithm',
  'footer',
  'seal',
  'chart_title',
  'chart',
  'formula_number',
  'header_image',
  'footer_image',
  'aside_text',
] as const;

export const CommonLabel = z.enum(['title', 'text', 'list', 'table', 'figure', 'formula', 'caption', 'header', 'footer', 'other']);
export type CommonLabel = z.infer<typeof CommonLabel>;

/** Every engine label's place in the common taxonomy; labels not here are `other`. */
export const COMMON_LABELS: Readonly<Record<string, CommonLabel>> = {
  doc_title: 'title',
  paragraph_title: 'title',
  title: 'title',
  text: 'text',
  abstract: 'text',
  author: 'text',
  content: 'text',
  reference: 'text',
  footnote: 'text',
  aside_text: 'text',
  algorithm: 'text',
  list: 'list',
  table: 'table',
  image: 'figure',
  chart: 'figure',
  figure: 'figure',
  seal: 'figure',
  formula: 'formula',
  formula_number: 'formula',
  figure_title: 'caption',
  table_title: 'caption',
  chart_title: 'caption',
  vision_footnote: 'caption',
  header: 'header',
  header_image: 'header',
  number: 'footer',
  footer: 'footer',
  footer_image: 'footer',
};

/** One colour per common label, shared by the overlay images and the viewer so both read alike. */
export const COMMON_LABEL_COLOURS: Readonly<Record<CommonLabel, string>> = {
  title: '#d62728',
  text: '#1f77b4',
  list: '#2ca02c',
  table: '#9467bd',
  figure: '#ff7f0e',
  formula: '#8c564b',
  caption: '#e377c2',
  header: '#7f7f7f',
  footer: '#7f7f7f',
  other: '#17becf',
};

export function commonLabel(label: string): CommonLabel {
  return COMMON_LABELS[label] ?? 'other';
}

export const Region = z.object({
  label: z.string().min(1),
  score: z.number().min(0).max(1),
  box: Box,
  /** 0-based reading order within the page. */
  order: z.number().int().nonnegative(),
  /** LaTeX of a formula region, when the engine recognizes formulas (PaddleX formula-recognition: `rec_formula`). */
  latex: z.string().optional().describe('LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition)'),
  /** The pipeline's own 1-based id of the formula on its page (PaddleX `formula_region_id`), beside `latex`. */
  formulaId: z.number().int().positive().optional().describe("The recognizing pipeline's 1-based id of the formula on its page"),
  /** The region's text, when the engine reads it (the analyzer on PDF pages with a text layer): lines joined by newlines, in reading order. */
  text: z
    .string()
    .optional()
    .describe(
      "The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer)",
    ),
});
export type Region = z.infer<typeof Region>;

export const PageResult = z.object({
  /** 1-based page number in the source document. */
  page: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Version of pipeline_config.yaml this page was analyzed with (`configVersion` of the file's text). */
  configVersion: z.string().optional(),
  regions: z.array(Region),
  /** API path of the page as rendered, without boxes (`options.previews`). */
  preview: z.string().optional(),
  /** API path of the overlay image (boxes drawn on the page). */
  overlay: z.string().optional(),
  /** API paths of region crops, by reading-order index. */
  crops: z.array(z.object({ order: z.number().int(), label: z.string(), href: z.string() })).optional(),
});
export type PageResult = z.infer<typeof PageResult>;

export const DocumentResult = z.object({
  jobId: z.string(),
  engine: z.string(),
  /** The model (`options.model`, or the deployment's default) that analyzed the pages. */
  model: z.string().optional(),
  /** Versions of pipeline_config.yaml the pages were analyzed with (more than one if it changed while the job ran). */
  configVersions: z.array(z.string()).optional(),
  createdAt: z.string(),
  pages: z.array(PageResult),
  /** Pages that could not be analyzed (the job is then `partial` or `failed`). */
  errors: z.array(z.object({ page: z.number().int().positive(), code: z.string(), message: z.string() })).optional(),
});
export type DocumentResult = z.infer<typeof DocumentResult>;
