/** One small builder per `spark.connect.Expression` node the client makes. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ExpressionSchema,
  Expression_SortOrder_NullOrdering,
  Expression_SortOrder_SortDirection,
  type Expression,
  type Expression_SortOrder,
} from "../gen/spark/connect/expressions_pb.js";
import type { DataType } from "../types/data-types.js";
import { toProtoDataType } from "./data-types.js";
import { toLiteral, type LiteralValue } from "./literals.js";

export type { Expression };

function expression(exprType: MessageInitShape<typeof ExpressionSchema>["exprType"]): Expression {
  return create(ExpressionSchema, { exprType });
}

/** A column reference; `planId` pins it to one DataFrame (needed to disambiguate joins). */
export function attributeExpr(name: string, planId?: bigint): Expression {
  return expression({ case: "unresolvedAttribute", value: { unparsedIdentifier: name, ...(planId === undefined ? {} : { planId }) } });
}

/** `*`, or `target.*` for the columns of a struct or an aliased relation. */
export function starExpr(target?: string, planId?: bigint): Expression {
  return expression({
    case: "unresolvedStar",
    value: { ...(target === undefined ? {} : { unparsedTarget: `${target}.*` }), ...(planId === undefined ? {} : { planId }) },
  });
}

export function literalExpr(value: LiteralValue): Expression {
  return expression({ case: "literal", value: toLiteral(value) });
}

export function functionExpr(name: string, args: readonly Expression[], isDistinct = false): Expression {
  return expression({ case: "unresolvedFunction", value: { functionName: name, arguments: [...args], isDistinct } });
}

/** `call_function`: a function looked up by name on the server, builtin or registered. */
export function callFunctionExpr(name: string, args: readonly Expression[]): Expression {
  return expression({ case: "callFunction", value: { functionName: name, arguments: [...args] } });
}

/** A SQL expression string parsed by the server, as `expr()` / `selectExpr()`. */
export function sqlExpr(text: string): Expression {
  return expression({ case: "expressionString", value: { expression: text } });
}

export function aliasExpr(expr: Expression, names: readonly string[], metadata?: string): Expression {
  return expression({ case: "alias", value: { expr, name: [...names], ...(metadata === undefined ? {} : { metadata }) } });
}

export function castExpr(expr: Expression, to: DataType | string): Expression {
  const castToType = typeof to === "string" ? { case: "typeStr" as const, value: to } : { case: "type" as const, value: toProtoDataType(to) };
  return expression({ case: "cast", value: { expr, castToType } });
}

/** `child[extraction]`: an array index, a map key or a struct field name. */
export function extractValueExpr(child: Expression, extraction: Expression): Expression {
  return expression({ case: "unresolvedExtractValue", value: { child, extraction } });
}

export type SortDirection = "asc" | "desc";
export type NullOrdering = "first" | "last";

export function sortOrderExpr(child: Expression, direction: SortDirection, nulls?: NullOrdering): Expression {
  // Spark's defaults: ascending puts nulls first, descending puts them last.
  const nullOrdering = (nulls ?? (direction === "asc" ? "first" : "last")) === "first" ? Expression_SortOrder_NullOrdering.SORT_NULLS_FIRST : Expression_SortOrder_NullOrdering.SORT_NULLS_LAST;
  return expression({
    case: "sortOrder",
    value: {
      child,
      direction: direction === "asc" ? Expression_SortOrder_SortDirection.ASCENDING : Expression_SortOrder_SortDirection.DESCENDING,
      nullOrdering,
    },
  });
}

/** An expression as a sort key: itself when it already is one, else ascending. */
export function asSortOrder(expr: Expression): Expression_SortOrder {
  if (expr.exprType.case === "sortOrder") return expr.exprType.value;
  const order = sortOrderExpr(expr, "asc").exprType;
  return (order as { value: Expression_SortOrder }).value;
}
