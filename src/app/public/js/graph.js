// The live risk graph: history on load, then one point per customer-risk record, over Server-Sent
// Events. Each customer's latest score is plotted; colours tell improvement from decline.
import { byId, header } from "./api.js";

header();
const IMPROVED = "#1f6f5c";
const DECLINED = "#c0392b";
const latest = new Map(); // email → point
let received = 0;

const chart = new window.Chart(byId("chart"), {
  type: "scatter",
  data: {
    datasets: [
      { label: "Improvement (score ≥ 0, faster)", data: [], backgroundColor: IMPROVED, pointRadius: 5 },
      { label: "Decline (score < 0, slower)", data: [], backgroundColor: DECLINED, pointRadius: 5 },
    ],
  },
  options: {
    animation: false,
    maintainAspectRatio: false,
    scales: {
      x: { title: { display: true, text: "Birth year" }, ticks: { precision: 0, callback: (value) => String(value) } },
      y: { title: { display: true, text: "Risk score (s): above 0 improved, below 0 declined" }, grid: { color: (c) => (c.tick.value === 0 ? "#333" : "#e5e5e5") } },
    },
    plugins: {
      tooltip: { callbacks: { label: (item) => `${item.raw.email}: ${item.raw.y} (born ${item.raw.x})` } },
    },
  },
});

function redraw() {
  const points = [...latest.values()].map((p) => ({ x: p.birthYear, y: p.score, email: p.email }));
  chart.data.datasets[0].data = points.filter((p) => p.y >= 0);
  chart.data.datasets[1].data = points.filter((p) => p.y < 0);
  chart.update();
  const rows = [...latest.values()].sort((a, b) => b.timestamp - a.timestamp).slice(0, 30).map((p) => {
    const row = document.createElement("tr");
    for (const text of [p.email, String(p.birthYear), String(p.score), new Date(p.timestamp).toLocaleTimeString()]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  byId("latest").replaceChildren(...rows);
  byId("status").textContent = `Live: ${received} records received, ${latest.size} customers plotted. Updated ${new Date().toLocaleTimeString()}.`;
}

// A customer's records share a partition (the topic is keyed by email): the higher offset is newer.
// Offsets belong to the topic, not to an app process, so this holds across app restarts.
const newer = (a, b) => (a.partition === b.partition ? a.offset > b.offset : a.timestamp > b.timestamp);

function add(point) {
  received++;
  const known = latest.get(point.email);
  if (!known || !newer(known, point)) latest.set(point.email, point);
}

const source = new EventSource("/risk/stream");
source.addEventListener("history", (event) => {
  for (const point of JSON.parse(event.data)) add(point);
  redraw();
});
source.addEventListener("risk", (event) => {
  add(JSON.parse(event.data));
  redraw();
});
source.addEventListener("session-ended", () => {
  source.close();
  location.href = "/index.html?next=/graph.html";
});
source.addEventListener("open", () => (byId("status").textContent = "Live: waiting for risk scores…"));
source.addEventListener("error", () => {
  byId("status").textContent = "Connection lost; reconnecting… (log in again if this persists)";
  fetch("/risk/stats", { credentials: "same-origin" }).then((r) => {
    if (r.status === 401) location.href = "/index.html?next=/graph.html";
  });
});
