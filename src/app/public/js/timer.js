import { api, byId, header, param, say } from "./api.js";

header();
const STEPS = 30;
const message = byId("message");
let customer = null;
let test = null; // { startTime, lastStep, stepPoints, ticker }

function formatElapsed(ms) {
  const tenths = Math.floor(ms / 100);
  const minutes = String(Math.floor(tenths / 600)).padStart(2, "0");
  const seconds = String(Math.floor(tenths / 10) % 60).padStart(2, "0");
  return `${minutes}:${seconds}.${tenths % 10}`;
}

function showRunning(running) {
  byId("start").disabled = running;
  byId("stop").disabled = !running;
  byId("add-step").disabled = !running;
}

function start() {
  if (test || !customer) return;
  const now = Date.now();
  test = { startTime: now, lastStep: now, stepPoints: [] };
  test.ticker = setInterval(() => (byId("stopwatch").textContent = formatElapsed(Date.now() - test.startTime)), 100);
  byId("step-count").textContent = "0";
  say(message, "Test running: add a step for each step the customer takes.");
  showRunning(true);
}

function stop(text = "Test stopped; nothing was saved.") {
  if (!test) return;
  clearInterval(test.ticker);
  test = null;
  showRunning(false);
  if (text) say(message, text);
}

async function addStep() {
  if (!test) return;
  const now = Date.now();
  test.stepPoints.push(now - test.lastStep);
  test.lastStep = now;
  byId("step-count").textContent = String(test.stepPoints.length);
  if (test.stepPoints.length < STEPS) return;
  const finished = test;
  const stopTime = Math.max(now, finished.startTime + 1);
  byId("stopwatch").textContent = formatElapsed(stopTime - finished.startTime);
  stop("");
  say(message, "Saving the test…");
  try {
    const saved = await api("POST", "/rapidsteptest", {
      customer: customer.email,
      startTime: finished.startTime,
      stepPoints: finished.stepPoints,
      stopTime,
      testTime: stopTime - finished.startTime,
      totalSteps: STEPS,
    });
    if (saved.riskScore) {
      showScore(saved.riskScore.score);
      say(message, `Test ${saved.testsStored} saved.`);
    } else {
      byId("risk-score").textContent = "—";
      say(message, `Test ${saved.testsStored} saved; ${saved.testsNeeded} more needed for a risk score.`);
    }
  } catch (error) {
    say(message, `Not saved: ${error.message}`, "error");
  }
}

function showScore(score) {
  byId("risk-score").textContent = String(score);
  byId("risk-explained").textContent = score < 0 ? "Below zero: slower than the tests before (decline)." : "Zero or above: as fast as or faster than the tests before (improvement).";
}

async function useCustomer(email) {
  try {
    customer = await api("GET", `/customer/${encodeURIComponent(email)}`);
    byId("customer-name").textContent = customer.customerName;
    byId("customer-email").textContent = customer.email;
    byId("pick").hidden = true;
    byId("timer").hidden = false;
    const risk = await api("GET", `/riskscore/${encodeURIComponent(email)}`).catch(() => null);
    if (risk) showScore(risk.score);
  } catch (error) {
    byId("pick").hidden = false;
    alertPick(error.message);
  }
}

function alertPick(text) {
  let note = byId("pick-message");
  if (!note) {
    note = document.createElement("p");
    note.id = "pick-message";
    byId("pick").append(note);
  }
  say(note, text, "error");
}

byId("start").addEventListener("click", start);
byId("stop").addEventListener("click", () => stop());
byId("add-step").addEventListener("click", () => void addStep());
document.addEventListener("keydown", (event) => {
  if (event.key === "y" && !(event.target instanceof HTMLInputElement)) void addStep();
});
byId("pick").addEventListener("submit", (event) => {
  event.preventDefault();
  const email = byId("email").value.trim();
  history.replaceState(null, "", `?email=${encodeURIComponent(email)}`);
  void useCustomer(email);
});

const simulation = byId("simulation");
function showSimulation(status) {
  simulation.checked = status.active;
  byId("simulation-status").textContent = status.active ? `(running: ${status.rounds} rounds, ${status.testsSaved} tests)` : "(off)";
}
api("GET", "/simulation").then(showSimulation).catch(() => undefined);
simulation.addEventListener("change", async () => {
  try {
    showSimulation(await api(simulation.checked ? "POST" : "DELETE", "/simulation"));
  } catch (error) {
    byId("simulation-status").textContent = error.message;
  }
});

if (param("email")) void useCustomer(param("email"));
