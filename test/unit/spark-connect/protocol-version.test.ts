import { test } from "node:test";
import assert from "node:assert/strict";
import { compareVersions, newerServerWarning } from "../../../packages/spark-connect/src/client/protocol-version.js";

test("versions compare by major, minor and patch, ignoring suffixes", () => {
  assert.ok(compareVersions("4.0.0", "4.2.0") < 0);
  assert.ok(compareVersions("4.2.1", "4.2.0") > 0);
  assert.ok(compareVersions("4.10.0", "4.9.3") > 0);
  assert.equal(compareVersions("4.2.0-SNAPSHOT", "4.2.0"), 0);
  assert.equal(compareVersions("4.2", "4.2.0"), 0);
});

test("only a server newer than the protocol is warned about", () => {
  assert.equal(newerServerWarning("4.0.0", "4.2.0"), undefined);
  assert.equal(newerServerWarning("4.2.0", "4.2.0"), undefined);
  assert.match(newerServerWarning("4.3.0", "4.2.0") ?? "", /Spark 4\.3\.0, newer than the Spark 4\.2\.0 protocol/);
});
