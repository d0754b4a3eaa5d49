// Kiosque: report an image in place. Without JavaScript, "Report this image" leads to the report form on its
// own page; with it, the same form (fetched from the server with its CSRF token and its translated labels,
// because cached pages can carry neither a token nor a per-reader state) opens under the image and is sent
// without leaving the page. Any failure falls back to the page.
(function () {
  "use strict";

  function hostOf(link) {
    return link.closest("[data-report-host]") || link.parentElement;
  }

  function panelOf(link, create) {
    var host = hostOf(link);
    var next = host.nextElementSibling;
    if (next && next.hasAttribute("data-report-panel")) return next;
    if (!create) return null;
    var panel = document.createElement("div");
    panel.className = "image-report-panel";
    panel.setAttribute("data-report-panel", link.getAttribute("data-report-image"));
    panel.setAttribute("lang", link.getAttribute("lang") || document.documentElement.lang);
    panel.setAttribute("dir", link.getAttribute("dir") || document.documentElement.dir);
    host.after(panel);
    return panel;
  }

  function withParam(href, name, value) {
    var url = new URL(href, location.href);
    url.searchParams.set(name, value);
    return url.toString();
  }

  function toggle(link) {
    var panel = panelOf(link, true);
    if (panel.querySelector("form") && !panel.hidden) {
      panel.hidden = true;
      link.setAttribute("aria-expanded", "false");
      return;
    }
    panel.hidden = false;
    link.setAttribute("aria-expanded", "true");
    if (panel.querySelector("form")) return;
    fetch(withParam(link.href, "fragment", "1"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("report form: HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var form = new DOMParser().parseFromString(html, "text/html").querySelector("form[data-report-form]");
        if (!form) throw new Error("report form missing");
        panel.replaceChildren(document.importNode(form, true));
        var first = panel.querySelector("input[type=radio]");
        if (first) first.focus();
      })
      .catch(function () { location.href = link.href; });
  }

  function hideImage(imageId, placeholder) {
    document.querySelectorAll('img[data-image-id="' + imageId + '"]').forEach(function (img) {
      img.src = placeholder;
      img.removeAttribute("data-image-id");
      img.setAttribute("data-image-hidden", imageId);
      img.alt = "";
    });
    document.querySelectorAll('a[data-report-image="' + imageId + '"]').forEach(function (a) { a.hidden = true; });
  }

  function send(form) {
    var panel = form.closest("[data-report-panel]");
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok && response.status !== 429) throw new Error("report: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var done = document.createElement("p");
        done.className = "image-report-done";
        done.setAttribute("role", "status");
        done.textContent = data.message;
        panel.replaceChildren(done);
        var imageId = panel.getAttribute("data-report-panel");
        document.querySelectorAll('a[data-report-image="' + imageId + '"]').forEach(function (a) {
          a.hidden = true;
          a.setAttribute("aria-expanded", "false");
        });
        if (data.state === "blocked") hideImage(imageId, data.placeholder);
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-report-image]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    toggle(link);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-report-form]") || !form.closest("[data-report-panel]")) return;
    event.preventDefault();
    send(form);
  });
})();
