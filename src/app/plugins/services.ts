/** The app's services, built once on the shared clients and shared by routes and the simulation. */
import fp from "fastify-plugin";
import type { StediAppPluginOptions } from "../options.js";
import { Accounts } from "../services/accounts.js";
import { Customers } from "../services/customers.js";
import { RapidStepTests } from "../services/rapid-step-tests.js";
import { RiskEventRelay } from "../services/risk-event-relay.js";
import { RiskFeed } from "../services/risk-feed.js";
import { Simulation } from "../simulation/simulation.js";

declare module "fastify" {
  interface FastifyInstance {
    accounts: Accounts;
    customers: Customers;
    rapidStepTests: RapidStepTests;
    /** The outbox relay to stedi-events. */
    riskEvents: RiskEventRelay;
    riskFeed: RiskFeed;
    simulation: Simulation;
  }
}

export default fp<StediAppPluginOptions>(
  async (fastify, { config, options }) => {
    const log = fastify.log;
    const riskEvents = new RiskEventRelay(fastify.secrets, { broker: config.kafka.broker, topic: config.kafka.topics.stediEvents }, log);
    const customers = new Customers(fastify.redis);
    const rapidStepTests = new RapidStepTests(fastify.redis, { db: config.redis.secretsDb, key: riskEvents.outboxKey }, config.app.testsKeptPerCustomer);
    const riskFeed = new RiskFeed({ broker: config.kafka.broker, topic: config.kafka.topics.customerRisk, historySize: options.riskHistorySize, log });
    const simulation = new Simulation({ customers, tests: rapidStepTests, log }, options.simulation);
    fastify.decorate("accounts", new Accounts(fastify.secrets, options));
    fastify.decorate("customers", customers);
    fastify.decorate("rapidStepTests", rapidStepTests);
    fastify.decorate("riskEvents", riskEvents);
    fastify.decorate("riskFeed", riskFeed);
    fastify.decorate("simulation", simulation);

    fastify.addHook("onReady", async () => {
      if (options.demoUser) {
        const { userName, password } = options.demoUser;
        await fastify.accounts.ensure({ userName, password, email: `${userName}@stedi.local`, phone: "8015551212", birthDate: "1970-01-01" });
      } else if (options.withheldDemoUser) {
        const { userName, password } = options.withheldDemoUser;
        const removed = await fastify.accounts.removeIfPassword(userName, password);
        log.warn(
          { userName, removed, host: config.app.host },
          "no demo account: the app listens beyond loopback and the demo password is public (demoUserOnAnyAddress / --demo-on-any-address offers it anyway)",
        );
      }
      riskEvents.start();
      if (options.riskFeed) riskFeed.start();
      if (options.simulation.autoStart) await simulation.start();
    });
    // Stop producing before the clients close (onClose hooks run in reverse registration order).
    fastify.addHook("onClose", async () => {
      await simulation.stop();
      await riskEvents.close();
      await riskFeed.close();
    });
  },
  { name: "stedi-services", dependencies: ["stedi-redis"] },
);
