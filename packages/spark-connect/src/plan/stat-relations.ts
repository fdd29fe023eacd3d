/**
 * Builders of the relation nodes behind `df.na`, `df.stat`, `describe`/`summary` and sampling.
 * Each is one protocol node, evaluated by the server as PySpark's own client sends it.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Expression } from "../gen/spark/connect/expressions_pb.js";
import { RelationSchema, type Relation } from "../gen/spark/connect/relations_pb.js";
import { toLiteral, type LiteralValue } from "./literals.js";

function relation(planId: bigint, relType: MessageInitShape<typeof RelationSchema>["relType"]): Relation {
  return create(RelationSchema, { common: { planId }, relType });
}

export interface SampleSpec {
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly withReplacement: boolean;
  readonly seed: bigint;
  /** Sort each partition before sampling, so that the splits of `randomSplit` are disjoint and cover every row. */
  readonly deterministicOrder?: boolean;
}

export function sampleRel(planId: bigint, input: Relation, spec: SampleSpec): Relation {
  return relation(planId, { case: "sample", value: { input, ...spec, deterministicOrder: spec.deterministicOrder ?? false } });
}

export function describeRel(planId: bigint, input: Relation, cols: readonly string[]): Relation {
  return relation(planId, { case: "describe", value: { input, cols: [...cols] } });
}

export function summaryRel(planId: bigint, input: Relation, statistics: readonly string[]): Relation {
  return relation(planId, { case: "summary", value: { input, statistics: [...statistics] } });
}

/** Drops rows with fewer than `minNonNulls` non-null values among `cols` (all columns when empty); without it, rows with any null. */
export function dropNaRel(planId: bigint, input: Relation, cols: readonly string[], minNonNulls: number | undefined): Relation {
  return relation(planId, { case: "dropNa", value: { input, cols: [...cols], ...(minNonNulls === undefined ? {} : { minNonNulls }) } });
}

/** One value for all of `cols` (or every column of a matching type), or one value per column. */
export function fillNaRel(planId: bigint, input: Relation, cols: readonly string[], values: readonly LiteralValue[]): Relation {
  return relation(planId, { case: "fillNa", value: { input, cols: [...cols], values: values.map((value) => toLiteral(value)) } });
}

export function replaceRel(planId: bigint, input: Relation, cols: readonly string[], replacements: readonly (readonly [LiteralValue, LiteralValue])[]): Relation {
  return relation(planId, {
    case: "replace",
    value: { input, cols: [...cols], replacements: replacements.map(([oldValue, newValue]) => ({ oldValue: toLiteral(oldValue), newValue: toLiteral(newValue) })) },
  });
}

export function approxQuantileRel(planId: bigint, input: Relation, cols: readonly string[], probabilities: readonly number[], relativeError: number): Relation {
  return relation(planId, { case: "approxQuantile", value: { input, cols: [...cols], probabilities: [...probabilities], relativeError } });
}

export function corrRel(planId: bigint, input: Relation, col1: string, col2: string, method: string): Relation {
  return relation(planId, { case: "corr", value: { input, col1, col2, method } });
}

export function covRel(planId: bigint, input: Relation, col1: string, col2: string): Relation {
  return relation(planId, { case: "cov", value: { input, col1, col2 } });
}

export function crosstabRel(planId: bigint, input: Relation, col1: string, col2: string): Relation {
  return relation(planId, { case: "crosstab", value: { input, col1, col2 } });
}

export function freqItemsRel(planId: bigint, input: Relation, cols: readonly string[], support: number | undefined): Relation {
  return relation(planId, { case: "freqItems", value: { input, cols: [...cols], ...(support === undefined ? {} : { support }) } });
}

export function sampleByRel(planId: bigint, input: Relation, col: Expression, fractions: readonly (readonly [LiteralValue, number])[], seed: bigint): Relation {
  return relation(planId, {
    case: "sampleBy",
    value: { input, col, fractions: fractions.map(([stratum, fraction]) => ({ stratum: toLiteral(stratum), fraction })), seed },
  });
}
