import { api, byId, say } from "./api.js";

const message = byId("message");
const field = (id) => byId(id).value;

byId("account").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/user", {
      userName: field("userName"),
      email: field("email"),
      phone: field("phone"),
      birthDate: field("birthDate"),
      password: field("password"),
      verifyPassword: field("verifyPassword"),
      agreedToTermsOfUseDate: Date.now(),
    });
    say(message, "Account created; log in now.");
    setTimeout(() => (location.href = "/index.html"), 800);
  } catch (error) {
    say(message, error.message, "error");
  }
});
