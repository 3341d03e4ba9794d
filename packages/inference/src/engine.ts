import type { LayoutDetectionConfig, LayoutOverrides, PageTextLayer, Region, RgbImage } from '@roche/core';

/** What an engine finds on one page. Boxes are in the page's pixel space. */
export interface PageLayout {
  width: number;
  height: number;
  regions: Region[];
}

/**
 * A layout engine turns decoded pages into regions. Engines take several pages at once so the
 * ones that can batch (Triton) do; in-process engines may simply loop.
 */
export interface AnalyzeOptions {
  /**
   * Per-request post-processing overrides, validated at submit (PaddleX serving's names). PaddleX-based
   * engines apply them with PaddleX's semantics; the others (analyzer, tesseract) have no such settings
   * and ignore them. `@roche/engines` `checkOverrides` says at submit what an engine would refuse.
   */
  overrides?: LayoutOverrides;
  signal?: AbortSignal;
  /**
   * The PDF text layer of each page (same order as `pages`; null for pages without a usable one).
   * Engines that can use it (the analyzer) take text lines, fonts and drawings from it instead of
   * finding text by pixels; the others ignore it.
   */
  textLayers?: ReadonlyArray<PageTextLayer | null | undefined>;
}

export interface LayoutEngine {
  readonly name: string;
  /**
   * The engine uses `AnalyzeOptions.textLayers`. Reading a PDF page's text layer costs the worker
   * about as much CPU as rendering it, so it is read only for engines that say so.
   */
  readonly readsTextLayer?: boolean;
  analyze(pages: RgbImage[], opts?: AnalyzeOptions): Promise<PageLayout[]>;
  /** Throws while the engine cannot serve (remote server or model not ready); in-process engines leave it out. */
  ready?(): Promise<void>;
  /** Takes new PaddleX layout settings (live configuration); pages already being prepared keep the old ones. Engines without such settings leave it out. */
  configure?(layout: LayoutDetectionConfig): void;
  close(): Promise<void>;
}
