import { z } from 'zod';

/** The `annotations_simple.json` format: `{labels, images:[{file,width,height,regions:[{label,bbox,score?}]}]}`. */
export const SimpleAnnotations = z.object({
  labels: z.array(z.string()),
  images: z.array(
    z.object({
      file: z.string(),
      width: z.number(),
      height: z.number(),
      regions: z.array(
        z.object({ label: z.string(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]), score: z.number().optional() }),
      ),
    }),
  ),
});
export type SimpleAnnotations = z.infer<typeof SimpleAnnotations>;

/**
 * Engine label → annotation class; `null` drops the prediction (classes the ground truth does not
 * annotate). The default maps PP-DocLayout names to PubLayNet's five classes; PubLayNet counts
 * captions as text and has no headers, footers, page numbers or formulas.
 */
export const LabelMapping = z.record(z.string(), z.string().nullable());
export type LabelMapping = z.infer<typeof LabelMapping>;

export const PUBLAYNET_MAPPING: LabelMapping = {
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
  figure_title: 'text',
  table_title: 'text',
  chart_title: 'text',
  vision_footnote: 'text',
  list: 'list',
  table: 'table',
  image: 'figure',
  chart: 'figure',
  figure: 'figure',
  seal: 'figure',
  header: null,
  footer: null,
  number: null,
  header_image: null,
  footer_image: null,
  formula: null,
  formula_number: null,
};

export function mapLabel(label: string, mapping: LabelMapping, classes: string[]): string | null {
  if (label in mapping) return mapping[label] ?? null;
  return classes.includes(label) ? label : null;
}
