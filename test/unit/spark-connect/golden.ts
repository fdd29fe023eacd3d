/**
 * Golden files for plan tests: the protocol JSON of a plan is compared with
 * test/unit/spark-connect/golden/<name>.json. Run with UPDATE_GOLDEN=1 to (re)write them after an
 * intended change, and review the diff.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { DataFrame } from "spark-connect-ts";
import { relationOf } from "../../../packages/spark-connect/src/internal.js";
import { PlanSchema, type Plan } from "../../../packages/spark-connect/src/gen/spark/connect/base_pb.js";
import { RelationSchema, type Relation } from "../../../packages/spark-connect/src/gen/spark/connect/relations_pb.js";

const GOLDEN_DIR = join(import.meta.dirname, "golden");

function matchGolden(name: string, json: unknown): void {
  const file = join(GOLDEN_DIR, `${name}.json`);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    if (process.env.CI === "true" && !existsSync(file)) assert.fail(`golden file ${file} is missing; run the unit tests with UPDATE_GOLDEN=1 and commit it`);
    writeFileSync(file, text);
    return;
  }
  assert.equal(text, readFileSync(file, "utf8"), `plan differs from golden/${name}.json (UPDATE_GOLDEN=1 rewrites it)`);
}

/** The plan of a DataFrame (or a Relation itself) against its golden file. */
export function assertRelationGolden(name: string, plan: Relation | DataFrame): void {
  matchGolden(name, toJson(RelationSchema, plan instanceof DataFrame ? relationOf(plan) : plan));
}

export function assertPlanGolden(name: string, plan: Plan): void {
  matchGolden(name, toJson(PlanSchema, plan));
}
