import { api, byId, param, say } from "./api.js";
import { sameOriginPath } from "./safe-next.js";

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
    location.href = sameOriginPath(param("next"), location.origin);
  } catch (error) {
    say(message, error.message, "error");
  }
});
