export interface Embedder {
  /** Stable id recorded in the index; vectors from two ids are never mixed. */
  readonly id: string;
  readonly dimension: number;
  embedQueries(texts: string[]): Promise<Float32Array[]>;
  embedPassages(texts: string[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
