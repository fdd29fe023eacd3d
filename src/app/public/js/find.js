import { api, byId, header, param, say } from "./api.js";

header();
const message = byId("message");

async function find(email) {
  byId("found").hidden = true;
  try {
    const customer = await api("GET", `/customer/${encodeURIComponent(email)}`);
    byId("found-name").textContent = customer.customerName;
    byId("found-email").textContent = customer.email;
    byId("found-phone").textContent = customer.phone;
    byId("found-birthday").textContent = customer.birthDay;
    const history = await api("GET", `/stephistory/${encodeURIComponent(email)}?limit=1000`);
    byId("found-tests").textContent = String(history.length);
    byId("found-score").textContent = await api("GET", `/riskscore/${encodeURIComponent(email)}`)
      .then((risk) => `${risk.score} (${risk.score < 0 ? "slower than before" : "faster than or as fast as before"})`)
      .catch((error) => error.message);
    byId("take-test").href = `/timer.html?email=${encodeURIComponent(customer.email)}`;
    byId("found").hidden = false;
    say(message, "");
  } catch (error) {
    say(message, error.message, "error");
  }
}

byId("find").addEventListener("submit", (event) => {
  event.preventDefault();
  void find(byId("email").value.trim());
});

if (param("email")) {
  byId("email").value = param("email");
  void find(param("email"));
}
