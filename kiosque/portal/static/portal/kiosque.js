// Kiosque: progressive enhancements only; every page works without JavaScript.
(function () {
  "use strict";

  // The ticker loops seamlessly: a second, hidden copy of the headlines follows the first.
  function fillTicker(track, items) {
    if (items) {
      track.replaceChildren(...items.map(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        var title = document.createElement("span");
        title.lang = item.language;
        title.dir = item.language === "ar" ? "rtl" : "ltr";
        title.textContent = item.title;
        var source = document.createElement("span");
        source.className = "ticker-source";
        source.textContent = item.more_sources ? item.source + " +" + item.more_sources : item.source;
        a.append(title, " ", source);
        li.append(a);
        return li;
      }));
    }
    var originals = Array.from(track.children).filter(function (li) { return !li.hasAttribute("aria-hidden"); });
    track.querySelectorAll("li[aria-hidden]").forEach(function (li) { li.remove(); });
    originals.forEach(function (li) {
      var copy = li.cloneNode(true);
      copy.setAttribute("aria-hidden", "true");
      copy.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });
      track.append(copy);
    });
    // About 90 px per second whatever the number of headlines.
    track.style.setProperty("--ticker-duration", Math.max(30, track.scrollWidth / 2 / 90) + "s");
  }

  function setUpTicker() {
    var ticker = document.querySelector("[data-ticker]");
    if (!ticker) return;
    var track = ticker.querySelector("[data-ticker-track]");
    fillTicker(track, null);
    var url = ticker.getAttribute("data-ticker-url");
    setInterval(function () {
      if (document.hidden || ticker.matches(":hover, :focus-within")) return;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.items && data.items.length) fillTicker(track, data.items); })
        .catch(function () { /* offline: keep the headlines we have */ });
    }, 60000);
  }

  function setUpTheme() {
    var button = document.querySelector("[data-theme-toggle]");
    var stored = localStorage.getItem("kiosque-theme");
    if (stored) document.documentElement.setAttribute("data-theme", stored);
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var dark = document.documentElement.getAttribute("data-theme") === "dark" ||
        (!document.documentElement.getAttribute("data-theme") && matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      localStorage.setItem("kiosque-theme", next);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTicker();
    setUpTheme();
  });
})();
