import { defineCommand } from "citty";
import { loadConfig } from "../../config.js";
import { CdcSource } from "../../cdc/cdc-source.js";
import { cdcOptions } from "../../cdc/cdc-options.js";
import { createCdcLogger } from "../../cdc/cdc-logger.js";
import { reportFailure } from "../report.js";
import { notifyReady } from "../supervisor.js";

export default defineCommand({
  meta: {
    name: "cdc",
    description: "Run the Redis CDC source: every Redis write to the redis-server topic, until Ctrl-C (env: CDC_DBS, CDC_INCLUDE_KEYS, CDC_EXCLUDE_KEYS)",
  },
  async run() {
    let source: CdcSource;
    try {
      source = new CdcSource(cdcOptions(loadConfig()), createCdcLogger());
      await source.start();
      notifyReady("replicating Redis to Kafka");
    } catch (error) {
      reportFailure(error);
      return;
    }
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await source.stop();
  },
});
