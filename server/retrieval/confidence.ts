import fs from 'node:fs';
import { projectPath } from '../project-root.js';

/** What the answer/fallback decision looks at, for the top candidate of one question. */
export interface ConfidenceFeatures {
  /** Rarity-weighted share of the question's words present in the document. */
  coverage: number;
  /** Share of adjacent word pairs of the question present in the document. */
  bigramCoverage: number;
  /** Cosine similarity of question and best chunk. */
  vector: number;
  /** Share of the question's words the knowledge base never uses. */
  unknownShare: number;
  /** 1 when lexical and vector search both rank this document first. */
  agreement: number;
  /** Rarity weight of the question's words the document covers, scaled to [0,1]: long questions full of context words still show strong evidence here. */
  coveredMass: number;
}

export const FEATURE_NAMES: Array<keyof ConfidenceFeatures> = ['coverage', 'bigramCoverage', 'vector', 'unknownShare', 'agreement', 'coveredMass'];

/** A logistic model: confidence = sigmoid(bias + Σ weight·feature). Fitted by eval/tune-confidence.ts. */
export interface ConfidenceModel {
  bias: number;
  weights: Record<keyof ConfidenceFeatures, number>;
  fittedOn?: string;
  fittedAt?: string;
  embedder?: string;
}

export const DEFAULT_CONFIDENCE_MODEL_PATH = projectPath('server', 'retrieval', 'confidence-model.json');

export function loadConfidenceModel(file: string = DEFAULT_CONFIDENCE_MODEL_PATH): ConfidenceModel {
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as ConfidenceModel;
  for (const name of FEATURE_NAMES) {
    if (typeof model.weights?.[name] !== 'number') throw new Error(`${file}: missing weight for "${name}"`);
  }
  if (typeof model.bias !== 'number') throw new Error(`${file}: missing bias`);
  return model;
}

export function featureVector(f: ConfidenceFeatures): number[] {
  return FEATURE_NAMES.map((n) => f[n]);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function confidenceFrom(features: ConfidenceFeatures | undefined, model: ConfidenceModel): number {
  if (!features) return 0;
  let z = model.bias;
  for (const name of FEATURE_NAMES) z += model.weights[name] * features[name];
  return sigmoid(z);
}
