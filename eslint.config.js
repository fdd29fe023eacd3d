// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "packages/spark-connect/src/gen/**", ".stedi/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The app's pages: plain browser modules served as they are.
  { files: ["src/app/public/**/*.js"], languageOptions: { globals: globals.browser } },
  // The architecture, enforced: the domain is pure, services do not reach into each other,
  // only the CLI (and the test harness) starts the stack, and the client knows nothing of STEDI.
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["**/app/**", "**/cdc/**", "**/jobs/**", "**/stack/**", "**/cli/**", "ioredis", "@platformatic/*", "@stedi/*", "spark-connect-ts"] }],
    },
  },
  {
    files: ["src/app/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/cdc/**", "**/jobs/**", "**/stack/**", "**/cli/**"] }] },
  },
  {
    files: ["src/cdc/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/app/**", "**/jobs/**", "**/stack/**", "**/cli/**"] }] },
  },
  {
    files: ["src/jobs/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/app/**", "**/cdc/**", "**/stack/**", "**/cli/**"] }] },
  },
  {
    files: ["packages/spark-connect/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/src/domain/**", "**/src/app/**", "stedi", "../../../src/**"] }] },
  },
  // Only plan/ and client/ speak protocol messages; the rest of the client sees DataFrames and Columns.
  {
    files: ["packages/spark-connect/src/**/*.ts"],
    ignores: ["packages/spark-connect/src/plan/**", "packages/spark-connect/src/client/**"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/gen/**", "**/src/domain/**", "**/src/app/**", "stedi", "../../../src/**"] }] },
  },
);
