import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { stackDown, stackUp } from "../../stack/stack.js";
import { progress, reportFailure } from "../report.js";

export default defineCommand({
  meta: { name: "start", description: "Run the whole STEDI system until Ctrl-C" },
  args: {
    keep: { type: "boolean", description: "Leave the stack running on exit", default: false },
  },
  async run({ args }) {
    const config = loadConfig();
    try {
      await stackUp(config, progress);
    } catch (error) {
      reportFailure(error);
      return;
    }
    progress("stack is up; press Ctrl-C to stop");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    if (!args.keep) await stackDown(config, progress);
  },
});
