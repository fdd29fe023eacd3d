/** The modes of `DataFrame.explain`, as the protocol names them. */
import { AnalyzePlanRequest_Explain_ExplainMode } from "../gen/spark/connect/base_pb.js";

/** How much `explain` shows, PySpark's explain modes: simple, extended, codegen, cost, formatted. */
export type ExplainMode = "simple" | "extended" | "codegen" | "cost" | "formatted";

export const EXPLAIN_MODES: Readonly<Record<ExplainMode, AnalyzePlanRequest_Explain_ExplainMode>> = {
  simple: AnalyzePlanRequest_Explain_ExplainMode.SIMPLE,
  extended: AnalyzePlanRequest_Explain_ExplainMode.EXTENDED,
  codegen: AnalyzePlanRequest_Explain_ExplainMode.CODEGEN,
  cost: AnalyzePlanRequest_Explain_ExplainMode.COST,
  formatted: AnalyzePlanRequest_Explain_ExplainMode.FORMATTED,
};
