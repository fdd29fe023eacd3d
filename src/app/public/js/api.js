// Shared by every page: JSON calls to the API with the session cookie, errors as messages,
// and the header bar. Data is only ever put on the page as text (textContent), never as HTML.

/** Calls the API; resolves with the parsed body, rejects with an Error carrying the API's message. */
export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = text;
  if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") data = JSON.parse(text);
  if (!response.ok) {
    if (response.status === 401 && !location.pathname.endsWith("/index.html") && location.pathname !== "/") {
      location.href = `/index.html?next=${encodeURIComponent(location.pathname + location.search)}`;
    }
    const error = new Error(typeof data === "object" && data !== null && data.message ? data.message : `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.code = typeof data === "object" && data !== null ? data.code : undefined;
    throw error;
  }
  return data;
}

export const byId = (id) => document.getElementById(id);

/** Shows a message (as text) in an element with class "message". */
export function say(element, text, kind = "ok") {
  element.textContent = text;
  element.className = `message ${kind}`;
}

const PAGES = [
  ["/find.html", "Find customer"],
  ["/customer.html", "New customer"],
  ["/timer.html", "Timer"],
  ["/graph.html", "Risk graph"],
];

/** The header bar of the logged-in pages. */
export function header() {
  const bar = document.createElement("header");
  const brand = document.createElement("span");
  brand.className = "brand";
  brand.textContent = "STEDI";
  bar.append(brand);
  for (const [href, label] of PAGES) {
    const link = document.createElement("a");
    link.href = href;
    link.textContent = label;
    if (location.pathname === href) link.setAttribute("aria-current", "page");
    bar.append(link);
  }
  const logout = document.createElement("button");
  logout.className = "link";
  logout.type = "button";
  logout.textContent = "Log out";
  logout.addEventListener("click", async () => {
    await api("POST", "/logout").catch(() => undefined);
    location.href = "/index.html";
  });
  bar.append(logout);
  document.body.prepend(bar);
}

/** The value of a query parameter of this page's URL. */
export const param = (name) => new URLSearchParams(location.search).get(name) ?? "";
