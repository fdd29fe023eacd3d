/**
 * One small builder per `spark.connect.Relation` node. Every relation carries a plan id (unique
 * within its session), so that column references made through a DataFrame (`df.col("x")`)
 * resolve to that DataFrame even after a self-join.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Expression } from "../gen/spark/connect/expressions_pb.js";
import {
  Aggregate_GroupType,
  Join_JoinType,
  RelationSchema,
  SetOperation_SetOpType,
  type Relation,
} from "../gen/spark/connect/relations_pb.js";
import { asSortOrder, literalExpr } from "./expressions.js";
import { toLiteral, type LiteralValue } from "./literals.js";

export type { Expression, Relation };

function relation(planId: bigint, relType: MessageInitShape<typeof RelationSchema>["relType"]): Relation {
  return create(RelationSchema, { common: { planId }, relType });
}

export function namedTableRel(planId: bigint, name: string, options: Record<string, string>, isStreaming: boolean): Relation {
  return relation(planId, { case: "read", value: { isStreaming, readType: { case: "namedTable", value: { unparsedIdentifier: name, options } } } });
}

export interface DataSourceSpec {
  readonly format?: string | undefined;
  readonly schema?: string | undefined;
  readonly options: Record<string, string>;
  readonly paths: readonly string[];
}

export function dataSourceRel(planId: bigint, spec: DataSourceSpec, isStreaming: boolean): Relation {
  return relation(planId, {
    case: "read",
    value: {
      isStreaming,
      readType: {
        case: "dataSource",
        value: {
          ...(spec.format === undefined ? {} : { format: spec.format }),
          ...(spec.schema === undefined ? {} : { schema: spec.schema }),
          options: spec.options,
          paths: [...spec.paths],
        },
      },
    },
  });
}

/** SQL text; named (`:name`) or positional (`?`) arguments are bound as expressions. */
export function sqlRel(planId: bigint, query: string, args?: Record<string, Expression> | readonly Expression[]): Relation {
  const bound = args === undefined ? {} : Array.isArray(args) ? { posArguments: [...args] } : { namedArguments: args as Record<string, Expression> };
  return relation(planId, { case: "sql", value: { query, ...bound } });
}

export function rangeRel(planId: bigint, start: bigint, end: bigint, step: bigint, numPartitions?: number): Relation {
  return relation(planId, { case: "range", value: { start, end, step, ...(numPartitions === undefined ? {} : { numPartitions }) } });
}

export function projectRel(planId: bigint, input: Relation, expressions: readonly Expression[]): Relation {
  return relation(planId, { case: "project", value: { input, expressions: [...expressions] } });
}

export function filterRel(planId: bigint, input: Relation, condition: Expression): Relation {
  return relation(planId, { case: "filter", value: { input, condition } });
}

/** The `how` of `DataFrame.join`, with PySpark's spellings: inner, cross, outer/full, left, right, left_semi, left_anti … */
export type JoinType =
  | "inner"
  | "cross"
  | "outer"
  | "full"
  | "fullouter"
  | "full_outer"
  | "left"
  | "leftouter"
  | "left_outer"
  | "right"
  | "rightouter"
  | "right_outer"
  | "semi"
  | "leftsemi"
  | "left_semi"
  | "anti"
  | "leftanti"
  | "left_anti";

export const JOIN_TYPES: Readonly<Record<JoinType, Join_JoinType>> = {
  inner: Join_JoinType.INNER,
  cross: Join_JoinType.CROSS,
  outer: Join_JoinType.FULL_OUTER,
  full: Join_JoinType.FULL_OUTER,
  fullouter: Join_JoinType.FULL_OUTER,
  full_outer: Join_JoinType.FULL_OUTER,
  left: Join_JoinType.LEFT_OUTER,
  leftouter: Join_JoinType.LEFT_OUTER,
  left_outer: Join_JoinType.LEFT_OUTER,
  right: Join_JoinType.RIGHT_OUTER,
  rightouter: Join_JoinType.RIGHT_OUTER,
  right_outer: Join_JoinType.RIGHT_OUTER,
  semi: Join_JoinType.LEFT_SEMI,
  leftsemi: Join_JoinType.LEFT_SEMI,
  left_semi: Join_JoinType.LEFT_SEMI,
  anti: Join_JoinType.LEFT_ANTI,
  leftanti: Join_JoinType.LEFT_ANTI,
  left_anti: Join_JoinType.LEFT_ANTI,
};

export function joinRel(
  planId: bigint,
  left: Relation,
  right: Relation,
  on: { condition?: Expression | undefined; usingColumns?: readonly string[] | undefined },
  how: JoinType,
): Relation {
  const joinType = JOIN_TYPES[how];
  if (joinType === undefined) throw new TypeError(`unknown join type "${how}"; use one of ${Object.keys(JOIN_TYPES).join(", ")}`);
  return relation(planId, {
    case: "join",
    value: {
      left,
      right,
      joinType,
      usingColumns: [...(on.usingColumns ?? [])],
      ...(on.condition === undefined ? {} : { joinCondition: on.condition }),
    },
  });
}

export const SET_OPS = { union: SetOperation_SetOpType.UNION, intersect: SetOperation_SetOpType.INTERSECT, except: SetOperation_SetOpType.EXCEPT } as const;

export function setOpRel(
  planId: bigint,
  left: Relation,
  right: Relation,
  op: keyof typeof SET_OPS,
  options: { isAll: boolean; byName?: boolean; allowMissingColumns?: boolean },
): Relation {
  return relation(planId, {
    case: "setOp",
    value: {
      leftInput: left,
      rightInput: right,
      setOpType: SET_OPS[op],
      isAll: options.isAll,
      byName: options.byName ?? false,
      allowMissingColumns: options.allowMissingColumns ?? false,
    },
  });
}

export function sortRel(planId: bigint, input: Relation, orders: readonly Expression[], isGlobal: boolean): Relation {
  return relation(planId, { case: "sort", value: { input, order: orders.map(asSortOrder), isGlobal } });
}

export function limitRel(planId: bigint, input: Relation, limit: number): Relation {
  return relation(planId, { case: "limit", value: { input, limit } });
}

export function offsetRel(planId: bigint, input: Relation, offset: number): Relation {
  return relation(planId, { case: "offset", value: { input, offset } });
}

export function tailRel(planId: bigint, input: Relation, limit: number): Relation {
  return relation(planId, { case: "tail", value: { input, limit } });
}

export function aggregateRel(planId: bigint, input: Relation, grouping: readonly Expression[], aggregates: readonly Expression[]): Relation {
  return relation(planId, {
    case: "aggregate",
    value: { input, groupType: Aggregate_GroupType.GROUPBY, groupingExpressions: [...grouping], aggregateExpressions: [...aggregates] },
  });
}

export function deduplicateRel(planId: bigint, input: Relation, columnNames: readonly string[] | undefined, withinWatermark = false): Relation {
  return relation(planId, {
    case: "deduplicate",
    value: {
      input,
      columnNames: [...(columnNames ?? [])],
      allColumnsAsKeys: columnNames === undefined || columnNames.length === 0,
      withinWatermark,
    },
  });
}

/** Named aggregate metrics computed as rows flow past (`df.observe`); streaming reports them per batch. */
export function collectMetricsRel(planId: bigint, input: Relation, name: string, metrics: readonly Expression[]): Relation {
  return relation(planId, { case: "collectMetrics", value: { input, name, metrics: [...metrics] } });
}

export function subqueryAliasRel(planId: bigint, input: Relation, alias: string): Relation {
  return relation(planId, { case: "subqueryAlias", value: { input, alias } });
}

export function withColumnsRel(planId: bigint, input: Relation, columns: readonly { name: string; expr: Expression }[]): Relation {
  return relation(planId, {
    case: "withColumns",
    value: { input, aliases: columns.map(({ name, expr }) => ({ expr, name: [name] })) },
  });
}

export function withColumnsRenamedRel(planId: bigint, input: Relation, renames: readonly { from: string; to: string }[]): Relation {
  return relation(planId, {
    case: "withColumnsRenamed",
    value: { input, renames: renames.map(({ from, to }) => ({ colName: from, newColName: to })) },
  });
}

export function dropRel(planId: bigint, input: Relation, columns: readonly Expression[], columnNames: readonly string[]): Relation {
  return relation(planId, { case: "drop", value: { input, columns: [...columns], columnNames: [...columnNames] } });
}

export function withWatermarkRel(planId: bigint, input: Relation, eventTime: string, delayThreshold: string): Relation {
  return relation(planId, { case: "withWatermark", value: { input, eventTime, delayThreshold } });
}

export function showStringRel(planId: bigint, input: Relation, numRows: number, truncate: number, vertical: boolean): Relation {
  return relation(planId, { case: "showString", value: { input, numRows, truncate, vertical } });
}

export function toDFRel(planId: bigint, input: Relation, columnNames: readonly string[]): Relation {
  return relation(planId, { case: "toDf", value: { input, columnNames: [...columnNames] } });
}

export function repartitionRel(planId: bigint, input: Relation, numPartitions: number, shuffle: boolean): Relation {
  return relation(planId, { case: "repartition", value: { input, numPartitions, shuffle } });
}

export function hintRel(planId: bigint, input: Relation, name: string, parameters: readonly unknown[]): Relation {
  return relation(planId, {
    case: "hint",
    value: { input, name, parameters: parameters.map((parameter) => literalExpr(parameter as string | number)) },
  });
}

// ---- grouping sets, pivot, unpivot, partitioning by expression ------------------------------

export const GROUP_TYPES = {
  groupBy: Aggregate_GroupType.GROUPBY,
  rollup: Aggregate_GroupType.ROLLUP,
  cube: Aggregate_GroupType.CUBE,
  pivot: Aggregate_GroupType.PIVOT,
} as const;
export type GroupType = keyof typeof GROUP_TYPES;

export interface GroupingSpec {
  readonly type: GroupType;
  readonly grouping: readonly Expression[];
  /** The pivot column and its values; without values the server finds the distinct ones (one extra job). */
  readonly pivot?: { readonly col: Expression; readonly values?: readonly LiteralValue[] | undefined } | undefined;
}

export function groupedAggregateRel(planId: bigint, input: Relation, spec: GroupingSpec, aggregates: readonly Expression[]): Relation {
  return relation(planId, {
    case: "aggregate",
    value: {
      input,
      groupType: GROUP_TYPES[spec.type],
      groupingExpressions: [...spec.grouping],
      aggregateExpressions: [...aggregates],
      ...(spec.pivot ? { pivot: { col: spec.pivot.col, values: (spec.pivot.values ?? []).map((value) => toLiteral(value)) } } : {}),
    },
  });
}

/** Wide to long: `values` undefined means every column that is not an id. */
export function unpivotRel(
  planId: bigint,
  input: Relation,
  ids: readonly Expression[],
  values: readonly Expression[] | undefined,
  variableColumnName: string,
  valueColumnName: string,
): Relation {
  return relation(planId, {
    case: "unpivot",
    value: { input, ids: [...ids], ...(values === undefined ? {} : { values: { values: [...values] } }), variableColumnName, valueColumnName },
  });
}

/** Hash partitioning by expressions; sort-order expressions make it range partitioning. */
export function repartitionByExpressionRel(planId: bigint, input: Relation, partitionExprs: readonly Expression[], numPartitions: number | undefined): Relation {
  return relation(planId, {
    case: "repartitionByExpression",
    value: { input, partitionExprs: [...partitionExprs], ...(numPartitions === undefined ? {} : { numPartitions }) },
  });
}
