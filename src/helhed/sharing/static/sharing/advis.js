/* Advis in the work list without reload (progressive enhancement: the page works without
   this file). Every few seconds it asks the advis feed for what is new since the last
   answer (every second while the page is visible), puts new advis at the top of the list, updates the unread count, and marks an
   advis read without leaving the page. No inline script: strict CSP (script-src 'self'). */
(function () {
  "use strict";
  var panel = document.querySelector("[data-advis-feed]");
  if (!panel || !window.fetch) {
    return;
  }
  var list = panel.querySelector("#advis-list");
  var unread = panel.querySelector("[data-advis-unread]");
  var status = panel.querySelector("[data-advis-status]");
  var empty = panel.querySelector("[data-advis-empty]");
  var feed = panel.getAttribute("data-advis-feed");
  var since = panel.getAttribute("data-advis-since");
  var every = Math.max(1, parseInt(panel.getAttribute("data-advis-poll"), 10) || 1) * 1000;
  var busy = false;

  function known(id) {
    return list.querySelector('[data-advis-id="' + id + '"]') !== null;
  }

  function add(html) {
    var holder = document.createElement("ul");
    holder.innerHTML = html;
    var items = Array.prototype.slice.call(holder.querySelectorAll("li[data-advis-id]"));
    var added = 0;
    items.reverse().forEach(function (item) {
      if (!known(item.getAttribute("data-advis-id"))) {
        list.insertBefore(item, list.firstChild);
        added += 1;
      }
    });
    return added;
  }

  function poll() {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    var url = feed + "?efter=" + encodeURIComponent(since);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        since = data.now;
        var added = add(data.html);
        if (unread) {
          unread.textContent = String(data.unread);
        }
        if (added) {
          if (empty) {
            empty.classList.add("d-none");
          }
          if (status) {
            status.textContent = added === 1 ? status.getAttribute("data-one")
              : status.getAttribute("data-many") + " " + added;
          }
        }
      })
      .catch(function () { /* try again at the next tick */ })
      .then(function () { busy = false; });
  }

  /* Mark as read in place; without JavaScript the form posts and the page reloads. */
  panel.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("helhed-advis-read")) {
      return;
    }
    event.preventDefault();
    fetch(form.action, {
      method: "POST", credentials: "same-origin", body: new FormData(form),
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) {
        form.submit();
        return;
      }
      var item = form.closest("li");
      if (item) {
        item.classList.remove("helhed-advis--unread");
      }
      form.parentNode.removeChild(form);
      if (unread) {
        unread.textContent = String(Math.max(0, (parseInt(unread.textContent, 10) || 1) - 1));
      }
    }).catch(function () { form.submit(); });
  });

  /* A hidden tab does not ask; coming back asks at once. */
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    }
  });
  window.setInterval(poll, every);
})();
