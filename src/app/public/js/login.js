import { api, byId, param, say } from "./api.js";

const message = byId("message");

api("GET", "/demo-user")
  .then((demo) => {
    byId("demo-user").textContent = demo.userName;
    byId("demo-password").textContent = demo.password;
    byId("demo").hidden = false;
    if (byId("userName").value === "") byId("userName").value = demo.userName;
  })
  .catch(() => undefined);

byId("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  say(message, "Logging in…");
  try {
    await api("POST", "/login", { userName: byId("userName").value, password: byId("password").value });
    const next = param("next");
    location.href = next.startsWith("/") && !next.startsWith("//") ? next : "/find.html";
  } catch (error) {
    say(message, error.message, "error");
  }
});
