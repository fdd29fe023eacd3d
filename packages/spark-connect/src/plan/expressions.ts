/** One small builder per `spark.connect.Expression` node the client makes. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ExpressionSchema,
  Expression_Window_WindowFrame_FrameType,
  type Expression_Window_WindowFrame_FrameBoundary,
  Expression_SortOrder_NullOrdering,
  Expression_SortOrder_SortDirection,
  type Expression,
  type Expression_SortOrder,
  type Expression_Window_WindowFrame_FrameBoundarySchema,
} from "../gen/spark/connect/expressions_pb.js";
import { ArrayType, type DataType } from "../types/data-types.js";
import { toProtoDataType } from "./data-types.js";
import { literalType, toLiteral, type LiteralValue } from "./literals.js";

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

/** A literal; its type is inferred from the value unless `type` is given (see literals.ts). */
export function literalExpr(value: LiteralValue, type?: DataType | string): Expression {
  if (Array.isArray(value) && holdsNull(value)) {
    // Spark 4.0 servers read a null element of an array literal as the element type's zero (0.0 for
    // a double); array(…) of typed literals keeps the nulls on every server version.
    const target = literalType(value, type);
    if (target instanceof ArrayType) return functionExpr("array", (value as readonly LiteralValue[]).map((element) => literalExpr(element, target.elementType)));
  }
  return expression({ case: "literal", value: toLiteral(value, type) });
}

function holdsNull(values: readonly LiteralValue[]): boolean {
  return values.some((value) => value === null || value === undefined || (Array.isArray(value) && holdsNull(value)));
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

/** A window frame bound: the current row, unbounded (preceding for a lower bound, following for an upper), or an offset. */
export type FrameBound = { readonly kind: "currentRow" } | { readonly kind: "unbounded" } | { readonly kind: "offset"; readonly offset: Expression };

export interface WindowFrame {
  readonly type: "rows" | "range";
  readonly lower: FrameBound;
  readonly upper: FrameBound;
}

function frameBoundary(bound: FrameBound): MessageInitShape<typeof Expression_Window_WindowFrame_FrameBoundarySchema> {
  const boundary: Expression_Window_WindowFrame_FrameBoundary["boundary"] =
    bound.kind === "offset" ? { case: "value", value: bound.offset } : bound.kind === "currentRow" ? { case: "currentRow", value: true } : { case: "unbounded", value: true };
  return { boundary };
}

/** `fn OVER (PARTITION BY … ORDER BY … frame)`. */
export function windowExpr(windowFunction: Expression, partitionSpec: readonly Expression[], orderSpec: readonly Expression[], frame?: WindowFrame): Expression {
  return expression({
    case: "window",
    value: {
      windowFunction,
      partitionSpec: [...partitionSpec],
      orderSpec: orderSpec.map(asSortOrder),
      ...(frame === undefined
        ? {}
        : {
            frameSpec: {
              frameType: frame.type === "rows" ? Expression_Window_WindowFrame_FrameType.ROW : Expression_Window_WindowFrame_FrameType.RANGE,
              lower: frameBoundary(frame.lower),
              upper: frameBoundary(frame.upper),
            },
          }),
    },
  });
}

/** A lambda's parameter, referenced by name inside its body. */
export function lambdaVariableExpr(name: string): Expression {
  return expression({ case: "unresolvedNamedLambdaVariable", value: { nameParts: [name] } });
}

/** `(names…) -> body`, an argument of a higher-order function such as `transform`. */
export function lambdaExpr(body: Expression, names: readonly string[]): Expression {
  return expression({ case: "lambdaFunction", value: { function: body, arguments: names.map((name) => ({ nameParts: [name] })) } });
}
