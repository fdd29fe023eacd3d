import { api, byId, header, say } from "./api.js";

header();
const message = byId("message");
const field = (id) => byId(id).value;

byId("customer").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const customer = await api("POST", "/customer", { customerName: field("customerName"), email: field("email"), phone: field("phone"), birthDay: field("birthDay") });
    say(message, `Created ${customer.customerName}; opening the timer…`);
    location.href = `/timer.html?email=${encodeURIComponent(customer.email)}`;
  } catch (error) {
    say(message, error.message, "error");
  }
});
