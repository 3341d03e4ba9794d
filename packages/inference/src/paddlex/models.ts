/** PP-DocLayout model families as PaddleX exports them (from the models' inference.yml; see docs/triton.md). */
export interface ModelSpec {
  name: string;
  size: number;
  /** Applied after dividing by 255. */
  mean: [number, number, number];
  std: [number, number, number];
  labels: readonly string[];
  /** Exported inputs; PicoDet exports may lack `im_shape`. */
  inputs: readonly ('image' | 'im_shape' | 'scale_factor')[];
}

export const LABELS_23 = [
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

// Order as reported second-hand (reference marks it "verify"); check against the model's inference.yml.
export const LABELS_20_PLUS = [
  'paragraph_title',
  'image',
  'text',
  'number',
  'abstract',
  'content',
  'figure_title',
  'formula',
  'table',
  'reference',
  'doc_title',
  'footnote',
  'header',
  'algorithm',
  'footer',
  'seal',
  'chart',
  'formula_number',
  'aside_text',
  'reference_content',
] as const;

const IMAGENET = { mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] };
const SCALE_ONLY = { mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };

export const MODELS: Record<string, ModelSpec> = {
  // RT-DETR exports normalize by /255 only (reference: "verify").
  'PP-DocLayout-L': { name: 'PP-DocLayout-L', size: 640, ...SCALE_ONLY, labels: LABELS_23, inputs: ['image', 'im_shape', 'scale_factor'] },
  'PP-DocLayout-M': { name: 'PP-DocLayout-M', size: 640, ...IMAGENET, labels: LABELS_23, inputs: ['image', 'scale_factor'] },
  'PP-DocLayout-S': { name: 'PP-DocLayout-S', size: 480, ...IMAGENET, labels: LABELS_23, inputs: ['image', 'scale_factor'] },
  'PP-DocLayout_plus-L': {
    name: 'PP-DocLayout_plus-L',
    size: 800,
    ...SCALE_ONLY,
    labels: LABELS_20_PLUS,
    inputs: ['image', 'im_shape', 'scale_factor'],
  },
};
